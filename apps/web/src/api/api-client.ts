import { currentToken, signOut } from '../auth/session';
import { ApiError, isProblem } from './api-error';

/** What a call may carry besides its method and path. */
export interface CallOptions {
  body?: unknown;
  /** The token to use instead of the tab's (signing in tries one before keeping it). */
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A successful answer: the parsed body and the headers (`ETag`). */
export interface ApiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Calls the coordinator's API with the tab's bearer token. Paths are relative (`v1/status`), so the
 * app works wherever the coordinator is mounted. A non-2xx answer throws an {@link ApiError} with
 * the problem; a 401 also signs the tab out (the token is wrong or was revoked).
 */
export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer<T>> {
  const token = options.token ?? currentToken();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path.replace(/^\//, ''), {
      method,
      headers,
      cache: 'no-store',
      credentials: 'omit',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, null, `the coordinator did not answer (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && options.token === undefined) signOut('The coordinator no longer accepts this tab’s token (401): sign in again.');
    const problem = isProblem(parsed) ? parsed : null;
    throw new ApiError(response.status, problem, problem?.detail ?? `${response.status} ${response.statusText}`);
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** `GET` a path's body. */
export async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await call<T>('GET', path, signal ? { signal } : {})).body;
}

/** A query string from the parameters that are set (`?a=1&b=x`), or `''`. */
export function query(parameters: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
