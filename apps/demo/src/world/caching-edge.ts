import type * as http from 'node:http';
import { forwardableHeaders, LoopbackHttpServer, readBody, requestUpstream, send, type ListenOptions, type UpstreamResponse } from './loopback-server';

/** nginx's own page for a failed upstream (`server_tokens off`), CRLF line ends as nginx sends them. */
export const NGINX_502_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
/** nginx's own page for an upstream that did not answer in time (`server_tokens off`). */
export const NGINX_504_PAGE =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** How an answer of the edge was produced, as its `X-Cache` header says. */
export type CacheOutcome = 'HIT' | 'MISS' | 'STALE';

/** Options of a {@link CachingEdge}. */
export interface CachingEdgeOptions extends ListenOptions {
  /** The origin, `http://127.0.0.x:port` (loopback only). */
  origin: string;
  /** Name in `Via` (`1.1 <name>`). Default `crosscheck-demo-edge`. */
  name?: string;
  /** The point of presence, sent as `X-Served-By` (like Fastly's `cache-<pop>`). None by default. */
  pop?: string;
  /** Freshness of a cached 200 whose origin sent no `s-maxage`/`max-age`. Default 1 s. */
  defaultTtlSeconds?: number;
  /** How long past freshness a cached 200 may still be served when the origin fails. Default 24 h. */
  staleIfErrorSeconds?: number;
  /** Deadline of an origin request (connect to last byte). Default 5 s; past it: stale, else 504. */
  originTimeoutMs?: number;
  /** Most entries kept (oldest dropped first). Default 1000. */
  maxEntries?: number;
}

interface CacheEntry {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** When the edge stored it (ms). */
  storedAt: number;
  /** The `Age` the origin sent, in seconds. */
  initialAge: number;
  ttlSeconds: number;
}

/**
 * A CDN-like caching edge in front of one origin, with the defaults that make real edges lie:
 *
 * - `GET`/`HEAD` 200 responses are cached, keyed by path + query string, for the origin's
 *   `s-maxage`/`max-age` (responses with `no-store`, `no-cache`, `private` or `Set-Cookie` are
 *   not); a request's own `Cache-Control: no-cache` is ignored, as CDNs do by default, but a
 *   unique query string is a miss that goes to the origin.
 * - Every answer carries `X-Cache: HIT|MISS|STALE`, `Age` (seconds since the origin produced it)
 *   and `Via: 1.1 crosscheck-demo-edge`.
 * - When the origin fails (refused, reset, timeout, 5xx) and a cached copy exists, that copy is
 *   served with status 200 and `X-Cache: STALE` (stale-if-error, like nginx
 *   `proxy_cache_use_stale` or Varnish grace): the lie.
 * - When the origin fails on a miss: a refused or reset connection gives nginx's `502 Bad
 *   Gateway` page, a timeout its `504` page, an origin 5xx is passed through.
 * - Other methods are proxied uncached.
 */
export class CachingEdge extends LoopbackHttpServer {
  /** Name in `Via`. */
  readonly name: string;
  /** Its point of presence, if any. */
  readonly pop: string | undefined;
  private readonly originHost: string;
  private readonly originPort: number;
  private readonly defaultTtlSeconds: number;
  private readonly staleIfErrorSeconds: number;
  private readonly originTimeoutMs: number;
  private readonly maxEntries: number;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly outcomes: Record<CacheOutcome, number> = { HIT: 0, MISS: 0, STALE: 0 };

  /** An edge on `options.host` in front of `options.origin`; call {@link CachingEdge.start} to listen. */
  constructor(options: CachingEdgeOptions) {
    super(options);
    const origin = new URL(options.origin);
    if (origin.protocol !== 'http:') throw new Error(`the edge's origin must be http://, got ${options.origin}`);
    this.originHost = origin.hostname;
    this.originPort = origin.port === '' ? 80 : Number(origin.port);
    this.name = options.name ?? 'crosscheck-demo-edge';
    this.pop = options.pop;
    this.defaultTtlSeconds = options.defaultTtlSeconds ?? 1;
    this.staleIfErrorSeconds = options.staleIfErrorSeconds ?? 24 * 3600;
    this.originTimeoutMs = options.originTimeoutMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 1_000;
  }

  /** Answers given so far, by `X-Cache` value. */
  get stats(): Readonly<Record<CacheOutcome, number>> {
    return { ...this.outcomes };
  }

  /** Entries in the cache. */
  get size(): number {
    return this.cache.size;
  }

  /** Forgets everything cached (a purge). */
  purge(): void {
    this.cache.clear();
  }

  protected override handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    void this.answer(request, response).catch((error: unknown) => {
      send(response, 500, { 'content-type': 'text/plain' }, `edge error: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const key = request.url ?? '/';
    if (method !== 'GET' && method !== 'HEAD') {
      await this.passThrough(request, response, method, key);
      return;
    }
    const head = method === 'HEAD';
    const cached = this.cache.get(key);
    const now = Date.now();
    if (cached !== undefined && this.ageOf(cached, now) < cached.ttlSeconds) {
      this.serveEntry(request, response, cached, 'HIT', now, head);
      return;
    }
    // A HEAD fills the cache with a GET, as nginx's proxy_cache_convert_head does.
    const result = await requestUpstream({
      host: this.originHost,
      port: this.originPort,
      method: 'GET',
      path: key,
      headers: this.upstreamHeaders(request, true),
      timeoutMs: this.originTimeoutMs,
    });
    const usable = (entry: CacheEntry | undefined): entry is CacheEntry =>
      entry !== undefined && this.ageOf(entry, now) < entry.ttlSeconds + this.staleIfErrorSeconds;
    if (!result.ok) {
      if (usable(cached)) {
        this.serveEntry(request, response, cached, 'STALE', now, head);
        return;
      }
      const page = result.failure.kind === 'timeout' ? { status: 504, body: NGINX_504_PAGE } : { status: 502, body: NGINX_502_PAGE };
      this.count('MISS');
      send(response, page.status, { server: 'nginx', 'content-type': 'text/html', ...this.edgeHeaders('MISS', 0) }, page.body, head);
      return;
    }
    const upstream = result.response;
    if (upstream.status >= 500 && usable(cached)) {
      this.serveEntry(request, response, cached, 'STALE', now, head);
      return;
    }
    if (upstream.status === 200) {
      const ttlSeconds = this.ttlOf(upstream);
      if (ttlSeconds !== undefined) {
        const entry: CacheEntry = {
          status: 200,
          headers: upstream.headers,
          body: upstream.body,
          storedAt: now,
          initialAge: Math.max(0, Number.parseInt(String(upstream.headers['age'] ?? '0'), 10) || 0),
          ttlSeconds,
        };
        this.store(key, entry);
        this.serveEntry(request, response, entry, 'MISS', now, head);
        return;
      }
    }
    this.count('MISS');
    const headers = forwardableHeaders(upstream.headers);
    delete headers['content-length'];
    send(response, upstream.status, { ...headers, ...this.edgeHeaders('MISS', Number.parseInt(String(upstream.headers['age'] ?? '0'), 10) || 0) }, upstream.body, head);
  }

  private async passThrough(request: http.IncomingMessage, response: http.ServerResponse, method: string, path: string): Promise<void> {
    const body = await readBody(request);
    const result = await requestUpstream({
      host: this.originHost,
      port: this.originPort,
      method,
      path,
      headers: this.upstreamHeaders(request, false),
      body,
      timeoutMs: this.originTimeoutMs,
    });
    this.count('MISS');
    if (!result.ok) {
      const page = result.failure.kind === 'timeout' ? { status: 504, body: NGINX_504_PAGE } : { status: 502, body: NGINX_502_PAGE };
      send(response, page.status, { server: 'nginx', 'content-type': 'text/html', ...this.edgeHeaders('MISS', 0) }, page.body);
      return;
    }
    const headers = forwardableHeaders(result.response.headers);
    delete headers['content-length'];
    send(response, result.response.status, { ...headers, ...this.edgeHeaders('MISS', 0) }, result.response.body);
  }

  private upstreamHeaders(request: http.IncomingMessage, cacheFill: boolean): http.OutgoingHttpHeaders {
    const headers = forwardableHeaders(request.headers);
    delete headers['content-length'];
    if (cacheFill) {
      // The edge fetches whole content to cache; its clients' validators are its own business.
      delete headers['if-none-match'];
      delete headers['if-modified-since'];
    }
    const forwardedFor = request.socket.remoteAddress ?? '127.0.0.1';
    const previous = request.headers['x-forwarded-for'];
    headers['x-forwarded-for'] = previous === undefined ? forwardedFor : `${String(previous)}, ${forwardedFor}`;
    const via = request.headers['via'];
    headers['via'] = via === undefined ? `1.1 ${this.name}` : `${String(via)}, 1.1 ${this.name}`;
    return headers;
  }

  private serveEntry(request: http.IncomingMessage, response: http.ServerResponse, entry: CacheEntry, outcome: CacheOutcome, now: number, head: boolean): void {
    this.count(outcome);
    const headers = forwardableHeaders(entry.headers);
    delete headers['content-length'];
    delete headers['date'];
    Object.assign(headers, this.edgeHeaders(outcome, this.ageOf(entry, now)));
    const etag = entry.headers['etag'];
    const inm = request.headers['if-none-match'];
    if (etag !== undefined && inm !== undefined && inm.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      if (!response.destroyed && !response.writableEnded) {
        response.writeHead(304, headers);
        response.end();
      }
      return;
    }
    send(response, entry.status, headers, entry.body, head);
  }

  private edgeHeaders(outcome: CacheOutcome, ageSeconds: number): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = { age: String(ageSeconds), 'x-cache': outcome, via: `1.1 ${this.name}` };
    if (this.pop !== undefined) headers['x-served-by'] = `cache-${this.pop}`;
    return headers;
  }

  private ageOf(entry: CacheEntry, now: number): number {
    return entry.initialAge + Math.max(0, Math.floor((now - entry.storedAt) / 1000));
  }

  /** Seconds a 200 may be cached, or `undefined` when it must not be. */
  private ttlOf(upstream: UpstreamResponse): number | undefined {
    if (upstream.headers['set-cookie'] !== undefined) return undefined;
    const directives = new Map<string, string>();
    for (const part of String(upstream.headers['cache-control'] ?? '').split(',')) {
      const [name, value] = part.trim().toLowerCase().split('=', 2);
      if (name !== undefined && name !== '') directives.set(name, (value ?? '').replace(/^"|"$/g, ''));
    }
    if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) return undefined;
    for (const name of ['s-maxage', 'max-age']) {
      const value = directives.get(name);
      if (value !== undefined && /^\d+$/.test(value)) {
        const ttl = Number(value);
        return ttl > 0 ? ttl : undefined;
      }
    }
    return this.defaultTtlSeconds > 0 ? this.defaultTtlSeconds : undefined;
  }

  private store(key: string, entry: CacheEntry): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    while (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (oldest.done === true) break;
      this.cache.delete(oldest.value);
    }
  }

  private count(outcome: CacheOutcome): void {
    this.outcomes[outcome] += 1;
  }
}
