import type { ContentFingerprint } from './content-fingerprint';

/** `application/health+json (health document, dialect ietf)`, `text/html (HTML page "Shop")`, `text/plain`: a fingerprint in words, for evidence. */
export function describeContent(fingerprint: ContentFingerprint): string {
  const type = fingerprint.mediaType === '' ? 'no media type' : fingerprint.mediaType;
  switch (fingerprint.kind) {
    case 'health':
      return `${type} (health document, dialect ${dialectName(fingerprint.healthDialect)})`;
    case 'json':
      return `${type} (JSON${fingerprint.jsonKeys && fingerprint.jsonKeys.length > 0 ? ` with ${fingerprint.jsonKeys.length} top-level keys` : ''})`;
    case 'html':
      return `${type} (HTML page${fingerprint.htmlTitle !== undefined ? ` "${fingerprint.htmlTitle}"` : ''})`;
    case 'empty':
      return `${type} (empty body)`;
    default:
      return type;
  }
}

/** The health document in words: `the health document (application/health+json, ietf dialect)`. */
export function describeHealthDocument(fingerprint: ContentFingerprint): string {
  const type = fingerprint.mediaType === '' ? '' : `${fingerprint.mediaType}, `;
  return `the health document (${type}${dialectName(fingerprint.healthDialect)} dialect)`;
}

/** `ietf-health` reads as `ietf`; the other dialect names read as they are. */
export function dialectName(dialect: string | undefined): string {
  if (dialect === undefined) return 'unknown';
  return dialect.endsWith('-health') ? dialect.slice(0, -'-health'.length) : dialect;
}

/** `a 412-byte text/plain page`, `an empty text/plain response`, `a 3-byte response with no media type`. */
export function describeAnswer(fingerprint: ContentFingerprint, bodyBytes: number): string {
  const type = fingerprint.mediaType === '' ? 'with no media type' : fingerprint.mediaType;
  if (bodyBytes === 0) return fingerprint.mediaType === '' ? 'an empty response with no media type' : `an empty ${type} response`;
  const what = fingerprint.kind === 'json' ? 'JSON document' : fingerprint.kind === 'html' || fingerprint.kind === 'text' ? 'page' : 'response';
  const title = fingerprint.kind === 'html' && fingerprint.htmlTitle !== undefined ? ` titled "${fingerprint.htmlTitle}"` : '';
  return fingerprint.mediaType === '' ? `a ${bodyBytes}-byte ${what} with no media type${title}` : `a ${bodyBytes}-byte ${type} ${what}${title}`;
}
