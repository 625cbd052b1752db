import type { ContentFingerprint } from './content-fingerprint';

/**
 * Whether two fingerprints are the same shape of answer: same media type, kind, dialect,
 * dependencies, JSON keys, title and server, and a size within one band (a body that grows
 * from 900 to 1100 bytes is the same page). Validators are never compared: they are expected
 * to change.
 */
export function sameShape(a: ContentFingerprint, b: ContentFingerprint): boolean {
  return (
    a.mediaType === b.mediaType &&
    a.kind === b.kind &&
    a.healthDialect === b.healthDialect &&
    sameList(a.dependencies, b.dependencies) &&
    sameList(a.jsonKeys, b.jsonKeys) &&
    a.htmlTitle === b.htmlTitle &&
    Math.abs(a.sizeBand - b.sizeBand) <= 1 &&
    a.server === b.server
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
