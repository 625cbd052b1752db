import { randomBytes } from 'node:crypto';
import type { HopRequest } from './hop-request';

/** The query parameter that makes the bypass request's URL unique, so no cache can hold it. */
export const BYPASS_PARAMETER = '_crosscheck_bypass';

/**
 * The cache-bypassing twin of a request: same method, headers and body, a unique query parameter
 * (caches key on the URL) and `Cache-Control: no-cache` + `Pragma: no-cache` (for caches that
 * honour request directives, and HTTP/1.0 proxies). Never conditional: it must fetch content.
 */
export function bypassRequestOf(request: HopRequest, token: string = randomBytes(8).toString('hex')): HopRequest {
  const url = new URL(request.url.href);
  // Appended by hand rather than through URLSearchParams, which would re-encode the query the
  // monitor wrote and so could ask the origin for something else.
  const parameter = `${BYPASS_PARAMETER}=${encodeURIComponent(token)}`;
  url.search = url.search === '' || url.search === '?' ? `?${parameter}` : `${url.search}&${parameter}`;
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => name !== 'if-none-match' && name !== 'if-modified-since'),
  );
  headers['cache-control'] = 'no-cache';
  headers['pragma'] = 'no-cache';
  // These two are the probe's now, whatever the monitor set: a redirect keeps them.
  const userHeaders = request.userHeaders.filter((name) => name !== 'cache-control' && name !== 'pragma');
  return { ...request, url, headers, userHeaders };
}
