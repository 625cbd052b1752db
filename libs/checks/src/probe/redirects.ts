import type { ProbeErrorCode, RedirectHop } from '../observation/observation';
import { DEFAULT_REQUEST_HEADERS, type HopRequest } from './hop-request';

/** Statuses that redirect when they carry a `Location` (300, 304 and 305 do not). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Credentials that belong to one origin and are never handed to another by a redirect, even when
 * the monitor lets its other headers follow (as WHATWG fetch drops `Authorization`).
 */
const ORIGIN_BOUND_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host'];

/** Headers that describe a request body, meaningless once a redirect drops the body. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding'];

export function isRedirectStatus(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/**
 * What makes two requests of a chain the same, for loop detection: method and URL. Post/redirect/get
 * (`POST /form` -> 303 -> `GET /form`) revisits a URL without looping.
 */
export function visitKey(request: HopRequest): string {
  return `${request.method} ${request.url.href}`;
}

/** Where a request is in its redirect chain. */
export interface RedirectState {
  /** {@link visitKey} of every request made so far, the first included. */
  visited: ReadonlySet<string>;
  /** Redirects already followed. */
  followed: number;
  maxRedirects: number;
  /**
   * The monitor lets its headers follow a redirect to another origin (`forwardHeadersCrossOrigin`);
   * by default every one of them is dropped there.
   */
  forwardHeadersCrossOrigin?: boolean;
}

/** What to do about a redirect response: follow it with the next request, or fail. */
export type RedirectPlan =
  | { kind: 'follow'; hop: RedirectHop; next: HopRequest }
  | { kind: 'fail'; code: Extract<ProbeErrorCode, 'invalid_redirect' | 'redirect_loop' | 'too_many_redirects'>; message: string };

/**
 * Decides how to follow one redirect, as browsers do (WHATWG fetch): the `Location` resolved
 * against the current URL; 303 (and 301/302 after a POST) become a bodiless GET; when the redirect
 * leaves the origin, every header the monitor set is dropped (those the probe sends by default
 * come back with their default value), unless the monitor allows them to follow, and credentials
 * (`Authorization`, `Proxy-Authorization`, `Cookie`) are dropped whatever it allows. A pure
 * function: the probe connects to `next` only after the address policy has approved where it
 * resolves.
 */
export function planRedirect(current: HopRequest, status: number, location: string | undefined, state: RedirectState): RedirectPlan {
  const from = current.url.href;
  if (location === undefined || location.trim() === '') {
    return { kind: 'fail', code: 'invalid_redirect', message: `${status} from ${from} has no Location header` };
  }
  let target: URL;
  try {
    target = new URL(location.trim(), current.url);
  } catch {
    return { kind: 'fail', code: 'invalid_redirect', message: `${status} from ${from} has an invalid Location: ${JSON.stringify(location)}` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { kind: 'fail', code: 'invalid_redirect', message: `${status} from ${from} redirects to a non-HTTP URL: ${target.protocol}` };
  }
  if (target.username !== '' || target.password !== '') {
    // Credentials in a redirect target would be sent nowhere by undici and are a phishing signal.
    return { kind: 'fail', code: 'invalid_redirect', message: `${status} from ${from} redirects to a URL with credentials` };
  }
  target.hash = '';
  const crossOrigin = target.origin !== current.url.origin;
  const becomesGet = (status === 303 && current.method !== 'HEAD') || ((status === 301 || status === 302) && current.method === 'POST');
  const dropped = new Set([
    ...(crossOrigin ? ORIGIN_BOUND_HEADERS : []),
    ...(crossOrigin && state.forwardHeadersCrossOrigin !== true ? current.userHeaders : []),
    ...(becomesGet ? BODY_HEADERS : []),
  ]);
  const headers = Object.fromEntries(Object.entries(current.headers).filter(([name]) => !dropped.has(name)));
  for (const [name, value] of Object.entries(DEFAULT_REQUEST_HEADERS)) if (dropped.has(name)) headers[name] = value;
  const userHeaders = current.userHeaders.filter((name) => !dropped.has(name));
  const next: HopRequest = becomesGet ? { url: target, method: 'GET', headers, userHeaders } : { ...current, url: target, headers, userHeaders };

  if (state.visited.has(visitKey(next))) {
    return { kind: 'fail', code: 'redirect_loop', message: `${from} redirects back to ${next.method} ${target.href}, already requested` };
  }
  if (state.followed >= state.maxRedirects) {
    return {
      kind: 'fail',
      code: 'too_many_redirects',
      message: `more than ${state.maxRedirects} redirect${state.maxRedirects === 1 ? '' : 's'}; the next would go to ${target.href}`,
    };
  }
  return { kind: 'follow', hop: { url: from, status, location }, next };
}
