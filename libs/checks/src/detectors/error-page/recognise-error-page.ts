import {
  ERROR_PAGE_FINGERPRINTS,
  ERROR_PAGE_MAX_BODY_LENGTH,
  PLAIN_TEXT_PAGE_MAX_LENGTH,
  type ErrorPageBodyShape,
  type ErrorPageCandidate,
  type ErrorPageFingerprint,
} from './error-page-fingerprints';

/** A proxy's, load balancer's or CDN's own page, recognised in a response. */
export interface ErrorPageMatch {
  /** Display name of the vendor, e.g. `nginx`, `HAProxy`, `Varnish`, `AWS ALB`, `Cloudflare`. */
  vendor: string;
  /** Which of its pages, e.g. `502 Bad Gateway`, `Guru Meditation: 503 Backend fetch failed`, `default welcome page`. */
  page: string;
  /** What matched, e.g. `body: <hr><center>nginx/1.22.1</center>`, `server: nginx/1.22.1`. */
  signals: string[];
}

/** The part of a response recognition reads. */
export interface ErrorPageResponse {
  status: number;
  /** Header names in lower case (as in `ResponseFacts`). */
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** The table split by body shape once, so a response is only tried against pages of its shape. */
const BY_SHAPE: Readonly<Record<ErrorPageBodyShape, readonly ErrorPageFingerprint[]>> = {
  html: ERROR_PAGE_FINGERPRINTS.filter((f) => f.shape === 'html'),
  text: ERROR_PAGE_FINGERPRINTS.filter((f) => f.shape === 'text'),
  empty: ERROR_PAGE_FINGERPRINTS.filter((f) => f.shape === 'empty'),
};

/**
 * Recognises the default page of a proxy, cache, load balancer or CDN (nginx, HAProxy, Varnish,
 * Squid, Apache Traffic Server, Envoy, Traefik, Apache httpd, lighttpd, tinyproxy, nghttpx, H2O,
 * IIS/ARR, Caddy, AWS ALB/ELB, Cloudflare, Akamai, Fastly, Google Front End)
 * in a response, whatever its status: such a page served with 200 is exactly the lie a monitor
 * must see through.
 *
 * Precise by construction: the page must be the whole body (a page quoting one does not match),
 * bodies longer than {@link ERROR_PAGE_MAX_BODY_LENGTH} are never looked at, and headers only
 * support a body match (or, for bodiless answers, agree with the status): a `Server: nginx`
 * alone recognises nothing. Cheap on healthy responses: a JSON body is rejected by its first
 * character.
 *
 * @returns the vendor, the page and the signals that matched, or `undefined`.
 */
export function recogniseErrorPage(response: ErrorPageResponse): ErrorPageMatch | undefined {
  const body = response.body;
  if (body.length > ERROR_PAGE_MAX_BODY_LENGTH) return undefined;
  const shape = shapeOf(body);
  if (shape === undefined || (shape === 'text' && body.length > PLAIN_TEXT_PAGE_MAX_LENGTH)) return undefined;

  let text: string | undefined;
  const candidate: ErrorPageCandidate = {
    status: response.status,
    headers: response.headers,
    // Normalised only when a fingerprint gets past its needle.
    get text() {
      return (text ??= normaliseBody(body));
    },
  };

  for (const fingerprint of BY_SHAPE[shape]) {
    if (body.length > fingerprint.maxLength) continue;
    if (fingerprint.needle !== undefined && !body.includes(fingerprint.needle)) continue;
    const hit = fingerprint.match(candidate);
    if (!hit) continue;
    return { vendor: hit.vendor, page: hit.page, signals: [...hit.signals, ...supportingSignals(fingerprint, response.headers, hit.signals)] };
  }
  return undefined;
}

/** The shape of the body, or `undefined` when no page can start like it (JSON: the usual healthy body). */
function shapeOf(body: string): ErrorPageBodyShape | undefined {
  if (body.length === 0) return 'empty';
  for (let i = 0; i < body.length; i++) {
    const char = body.charCodeAt(i);
    // Space, tab, LF, CR, BOM.
    if (char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d || char === 0xfeff) continue;
    if (char === 0x3c /* < */) return 'html';
    return char === 0x7b /* { */ || char === 0x5b /* [ */ ? undefined : 'text';
  }
  return 'text';
}

/** Line ends vary by server and by whatever re-encoded the page on the way: compare on LF, trimmed. */
function normaliseBody(body: string): string {
  return (body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body).trim();
}

function supportingSignals(fingerprint: ErrorPageFingerprint, headers: Readonly<Record<string, string>>, already: readonly string[]): string[] {
  const signals: string[] = [];
  for (const { name, pattern } of fingerprint.supportingHeaders ?? []) {
    const value = headers[name];
    if (value === undefined || !pattern.test(value)) continue;
    const signal = `${name}: ${value.length > 120 ? `${value.slice(0, 119)}…` : value}`;
    if (!already.includes(signal) && !signals.includes(signal)) signals.push(signal);
  }
  return signals;
}
