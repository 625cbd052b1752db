import type { ApiTarget } from '../config/cli-environment';
import { ApiError, readProblem, ServerUnreachableError } from './api-error';

/** One answer of the API: status, parsed JSON body (or null), and the revision its ETag names. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
  /** `ETag: "<revision>"` as a number, when the answer carries one. */
  revision: number | undefined;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as `If-Match: "<revision>"`. */
  ifMatch?: number;
  query?: Record<string, string | number | boolean | undefined>;
}

/** Longest wait for one answer; a coordinator that takes longer is as good as unreachable. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A 429 is waited out (its `Retry-After`, at most {@link MAX_RETRY_AFTER_MS} a time) and the
 * request sent again, for at most {@link MAX_RATE_LIMITED_MS} in all: a plan of hundreds of
 * monitors makes a request per monitor, more than a token's default rate allows in a minute.
 */
const MAX_RETRY_AFTER_MS = 60_000;
const MAX_RATE_LIMITED_MS = 5 * 60_000;

/** Options of the client beyond where the API is. */
export interface ApiClientOptions {
  /** Told each time the client waits out a 429, in words. */
  onRateLimited?: (message: string) => void;
  /** How to wait (tests); `setTimeout` by default. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The coordinator's REST API over Node's fetch. Error answers become {@link ApiError} (status,
 * detail, issues with paths); a connection that fails becomes {@link ServerUnreachableError}
 * naming the URL. The token goes into the Authorization header and nowhere else: no message of
 * this module carries it.
 */
export class ApiClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly target: ApiTarget,
    private readonly options: ApiClientOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get baseUrl(): string {
    return this.target.baseUrl;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
    const url = new URL(`${this.target.baseUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (this.target.token !== undefined) headers['authorization'] = `Bearer ${this.target.token}`;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const shown = `${path}${url.search}`;
    let response: Response;
    let waited = 0;
    for (;;) {
      try {
        response = await fetch(url, { method, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(payload !== undefined ? { body: payload } : {}) });
      } catch (error) {
        throw new ServerUnreachableError(this.target.baseUrl, describeFetchFailure(error));
      }
      if (response.status !== 429) break;
      const wait = retryAfterMs(response.headers.get('retry-after'));
      if (waited + wait > MAX_RATE_LIMITED_MS) break;
      await response.arrayBuffer();
      this.options.onRateLimited?.(`the coordinator rate-limits this token (429): waiting ${Math.ceil(wait / 1_000)} s before ${method} ${shown} again`);
      await this.sleep(wait);
      waited += wait;
    }
    const text = await response.text();
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!response.ok) throw new ApiError(method, shown, readProblem(response.status, body, response.statusText));
    return { status: response.status, body: body as T, revision: revisionOf(response.headers.get('etag')) };
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<ApiAnswer<T>> {
    return this.request<T>('GET', path, query === undefined ? {} : { query });
  }
}

/** `Retry-After` (delay-seconds or an HTTP-date) in ms, between 1 s and {@link MAX_RETRY_AFTER_MS}; 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number {
  const value = header?.trim() ?? '';
  let ms = 1_000;
  if (/^\d+$/.test(value)) ms = Number(value) * 1_000;
  else if (value !== '' && !Number.isNaN(Date.parse(value))) ms = Date.parse(value) - now;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(1_000, ms));
}

/** `"4"` or `W/"4"` -> 4. */
function revisionOf(etag: string | null): number | undefined {
  const match = etag === null ? null : /^(?:W\/)?"(\d+)"$/.exec(etag.trim());
  return match ? Number(match[1]) : undefined;
}

/** fetch hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, a timeout). */
function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return `${cause.code}${typeof cause.message === 'string' ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
