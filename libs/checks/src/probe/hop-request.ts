import type { HttpMethod } from '../spec/monitor-spec.schema';
import type { CompiledSpec } from '../spec/compile-monitor-spec';

/** One HTTP request of a probe: the first one, or one produced by following a redirect. */
export interface HopRequest {
  /** Absolute http(s) URL, without fragment. */
  url: URL;
  method: HttpMethod;
  /** Header names in lower case, so later steps (redirects, bypass) can replace them reliably. */
  headers: Record<string, string>;
  /**
   * Names (lower case) of the `headers` the monitor set, the Basic credentials of its URL
   * included: what a redirect to another origin drops (see `planRedirect`). The probe's own
   * headers (defaults, bypass, validators) are not in it.
   */
  userHeaders: readonly string[];
  body?: string;
}

/** Sent unless the monitor sets its own: a probe asks like a browser would, and says who it is. */
export const DEFAULT_REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'user-agent': 'crosscheck-probe/0.1',
  accept: '*/*',
  // The probe decodes these itself (decode-body.ts); asking for them sees what browsers and CDNs see.
  'accept-encoding': 'gzip, deflate, br',
};

/** The request a monitor describes, as users make it. `parsed`: `spec.url` already parsed, a URL the request may keep. */
export function initialRequestOf(spec: CompiledSpec, parsed?: URL): HopRequest {
  const headers: Record<string, string> = { ...DEFAULT_REQUEST_HEADERS };
  const userHeaders = new Set<string>();
  for (const [name, value] of Object.entries(spec.headers)) {
    headers[name.toLowerCase()] = value;
    userHeaders.add(name.toLowerCase());
  }
  const url = parsed ?? new URL(spec.url);
  if (url.hash !== '') url.hash = '';
  if (url.username !== '' || url.password !== '') {
    // As curl does: credentials in the URL become Basic auth (unless the monitor sets its own),
    // and leave the URL, so they never appear in an observation.
    const credentials = `${percentDecoded(url.username)}:${percentDecoded(url.password)}`;
    headers['authorization'] ??= `Basic ${Buffer.from(credentials).toString('base64')}`;
    userHeaders.add('authorization');
    url.username = '';
    url.password = '';
  }
  return { url, method: spec.method, headers, userHeaders: [...userHeaders], ...(spec.body !== undefined ? { body: spec.body } : {}) };
}

/** The `host:port` of a URL, with the default port made explicit. */
export function authorityOf(url: URL): string {
  return `${url.hostname}:${portOf(url)}`;
}

/** The port a URL connects to (80/443 when the URL leaves it out). */
export function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** The host name without the brackets of an IPv6 literal. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** The request target sent on the request line. */
export function pathOf(url: URL): string {
  return `${url.pathname || '/'}${url.search}`;
}

/** URL userinfo is percent-encoded; a malformed escape is kept as written rather than thrown on. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
