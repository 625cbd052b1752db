import { createHash } from 'node:crypto';
import type * as http from 'node:http';
import { LoopbackHttpServer, send, type ListenOptions } from './loopback-server';

/** What an {@link OriginSite} does now. */
export type OriginMode = 'up' | 'down' | 'unhealthy' | 'degraded';

/** Options of an {@link OriginSite}. */
export interface OriginSiteOptions extends ListenOptions {
  /** Name in its pages and in the `X-Demo-Server` header. Default `origin`. */
  name?: string;
  /** Site title in the HTML page. Default `Acme Widgets`. */
  title?: string;
  /** String the home page contains, to tell the origin's content from anything else. */
  marker?: string;
  /** `max-age` of the home page (`Cache-Control: public, max-age=N`). Default 10. */
  maxAgeSeconds?: number;
}

/** `/health` when the site is up. */
export const HEALTH_OK = { status: 'ok', checks: { db: { status: 'ok' } } } as const;
/** `/health` (with status 503) when the site is unhealthy. */
export const HEALTH_ERROR = { status: 'error', checks: { db: { status: 'down', error: 'connection refused' } } } as const;
/** `/health` (with status 200) when the site is degraded. */
export const HEALTH_DEGRADED = {
  status: 'degraded',
  checks: { db: { status: 'ok' }, cache: { status: 'degraded', error: 'replica lag 42s' } },
} as const;

/**
 * A site's origin server: the thing caches and load balancers stand in front of.
 *
 * - `GET /`       an HTML page containing {@link OriginSite.marker}, `Cache-Control: public,
 *                 max-age=N`, `ETag`, `Last-Modified`; conditional requests get `304`.
 * - `GET /health` `{"status":"ok","checks":{"db":{"status":"ok"}}}` with `Cache-Control: no-store`.
 * - anything else `404`.
 *
 * Failure modes, switchable at any time:
 * - {@link OriginSite.down}: the port is closed (connection refused), open connections are cut;
 * - {@link OriginSite.unhealthy}: `/health` answers `503` with the database down, `/` answers
 *   `500` (the page cannot be rendered without its database);
 * - {@link OriginSite.degraded}: `/health` answers `200` with `"status":"degraded"`, `/` is fine;
 * - {@link OriginSite.slow}: every answer waits `ms` first;
 * - {@link OriginSite.up}: healthy and fast again.
 */
export class OriginSite extends LoopbackHttpServer {
  /** Name in its pages and in the `X-Demo-Server` header. */
  readonly name: string;
  /** String the home page contains. */
  readonly marker: string;
  /** The home page's HTML. */
  readonly htmlBody: string;
  private readonly maxAgeSeconds: number;
  private readonly lastModified = new Date(Math.floor(Date.now() / 1000) * 1000).toUTCString();
  private readonly etag: string;
  private currentMode: OriginMode = 'up';
  private currentDelayMs = 0;
  private readonly counts = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** A site on `options.host`; call {@link OriginSite.start} to listen. */
  constructor(options: OriginSiteOptions) {
    super(options);
    this.name = options.name ?? 'origin';
    this.marker = options.marker ?? `crosscheck-demo-${this.name}-marker`;
    this.maxAgeSeconds = options.maxAgeSeconds ?? 10;
    this.htmlBody = htmlPage(options.title ?? 'Acme Widgets', this.name, this.marker);
    this.etag = `"${createHash('sha256').update(this.htmlBody).digest('base64url').slice(0, 22)}"`;
  }

  /** The current mode. */
  get mode(): OriginMode {
    return this.currentMode;
  }

  /** Delay before every answer, in ms (0 unless {@link OriginSite.slow}). */
  get delayMs(): number {
    return this.currentDelayMs;
  }

  /** Requests received since creation (every path and method). */
  get requests(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Requests received for one path (query string ignored). */
  requestsTo(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  /** Healthy and fast; listens again if it was down. */
  async up(): Promise<void> {
    this.currentMode = 'up';
    this.currentDelayMs = 0;
    await this.start();
  }

  /** Closes the port: connections are refused, requests in flight are cut. */
  async down(): Promise<void> {
    this.currentMode = 'down';
    await this.stop();
  }

  /** `/health` answers 503 with the database down; `/` answers 500. Listens if it was down. */
  async unhealthy(): Promise<void> {
    this.currentMode = 'unhealthy';
    await this.start();
  }

  /** `/health` answers 200 with `"status":"degraded"`. Listens if it was down. */
  async degraded(): Promise<void> {
    this.currentMode = 'degraded';
    await this.start();
  }

  /** Every answer waits `ms` first (content stays healthy). Listens if it was down. */
  async slow(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`slow needs a delay in ms >= 0, got ${ms}`);
    if (this.currentMode === 'down') this.currentMode = 'up';
    this.currentDelayMs = ms;
    await this.start();
  }

  /** A one-line account of its state, e.g. `up`, `unhealthy`, `up, slow 2000 ms`. */
  describe(): string {
    return this.currentDelayMs > 0 && this.currentMode !== 'down' ? `${this.currentMode}, slow ${this.currentDelayMs} ms` : this.currentMode;
  }

  protected override handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    if (this.currentDelayMs <= 0) {
      this.answer(path, request, response);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.answer(path, request, response);
    }, this.currentDelayMs);
    this.timers.add(timer);
    response.once('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  protected override onStopped(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private answer(path: string, request: http.IncomingMessage, response: http.ServerResponse): void {
    const head = request.method === 'HEAD';
    const common = { server: 'crosscheck-demo-origin', 'x-demo-server': this.name };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, { ...common, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
      return;
    }
    if (path === '/health') {
      const [status, document] =
        this.currentMode === 'unhealthy' ? [503, HEALTH_ERROR] : this.currentMode === 'degraded' ? [200, HEALTH_DEGRADED] : [200, HEALTH_OK];
      send(response, status, { ...common, 'content-type': 'application/json', 'cache-control': 'no-store' }, JSON.stringify(document), head);
      return;
    }
    if (path === '/' || path === '/index.html') {
      if (this.currentMode === 'unhealthy') {
        send(
          response,
          500,
          { ...common, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
          '<!DOCTYPE html>\n<html><head><title>Something went wrong</title></head><body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>\n',
          head,
        );
        return;
      }
      const headers = {
        ...common,
        'content-type': 'text/html; charset=utf-8',
        'cache-control': `public, max-age=${this.maxAgeSeconds}`,
        etag: this.etag,
        'last-modified': this.lastModified,
      };
      const inm = request.headers['if-none-match'];
      if (inm !== undefined && inm.split(',').some((tag) => tag.trim() === this.etag || tag.trim() === '*')) {
        response.writeHead(304, headers);
        response.end();
        return;
      }
      send(response, 200, headers, this.htmlBody, head);
      return;
    }
    send(response, 404, { ...common, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, 'not found\n', head);
  }
}

function htmlPage(title: string, name: string, marker: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${title}</title>`,
    '</head>',
    '<body>',
    `<header><h1>${title}</h1><nav><a href="/">Home</a> <a href="/health">Status</a></nav></header>`,
    '<main>',
    `<p id="marker">${marker}</p>`,
    `<p>Served by ${name}. Our catalogue lists 1,204 widgets in stock today.</p>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
