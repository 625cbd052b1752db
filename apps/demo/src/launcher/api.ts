/** A minimal client of the coordinator's REST API, for the demo. */

/** An answer of the API. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  text: string;
}

/** The coordinator's API at `baseUrl` with a bearer token. */
export class CoordinatorApi {
  /** `http://host:port`, no trailing slash. */
  readonly baseUrl: string;
  readonly token: string;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = token;
  }

  /** One request; rejects only when no HTTP answer came within `timeoutMs`. */
  async request(method: string, path: string, body?: unknown, timeoutMs = 5_000): Promise<ApiResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  /** `GET /health`, with the token (so with the details); `undefined` when nothing answers. */
  async health(timeoutMs = 2_000): Promise<ApiResponse | undefined> {
    try {
      return await this.request('GET', '/health', undefined, timeoutMs);
    } catch {
      return undefined;
    }
  }
}

/** The id of a created resource: the body's `id`, else the last segment of `Location`. */
export function createdId(response: ApiResponse): string | undefined {
  const body = response.body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const id = (body as Record<string, unknown>)['id'];
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  const location = response.headers.get('location');
  if (location !== null && location !== '') return location.split('/').filter((segment) => segment !== '').pop();
  return undefined;
}

/** A short one-line rendering of a JSON value, clipped to `max` characters. */
export function clip(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const flat = (text ?? '').replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
