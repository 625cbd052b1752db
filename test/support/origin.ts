/**
 * A controllable origin server for end-to-end suites: a healthy site that can be killed and brought
 * back on the same address, so caches and proxies in front of it can be caught lying.
 *
 * - `GET /`       an HTML page containing `marker`
 * - `GET /health` `{"status":"ok","checks":{"db":{"status":"ok"}}}`
 * Both with `Cache-Control: public, max-age=1` (short, so caches must revalidate and, when the
 * origin is gone, fall back to stale content), `Last-Modified` and a strong `ETag`; conditional
 * requests get `304`. Anything else is a `404` with `Cache-Control: no-store`.
 *
 * `stop()` closes the listener and destroys every open socket, so the port refuses connections
 * (what a crashed origin looks like to a proxy); `start()` listens again on the same port.
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { assertLoopback, freePort } from './net';

export const DEFAULT_ORIGIN_MARKER = 'crosscheck-origin-marker-7f3a9c';

export const HEALTH_BODY = JSON.stringify({ status: 'ok', checks: { db: { status: 'ok' } } });

export interface OriginOptions {
  /** Loopback address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Port; default a free one on `host`. */
  port?: number;
  /** String the HTML page contains, to tell the origin's content from anything else. */
  marker?: string;
  /** `Cache-Control` of the two healthy resources. Default `public, max-age=1`. */
  cacheControl?: string;
}

export interface Origin {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` (no trailing slash). */
  readonly origin: string;
  /** `http://host:port/`. */
  readonly url: string;
  readonly marker: string;
  readonly htmlBody: string;
  readonly healthBody: string;
  /** Whether the origin is listening now. */
  readonly running: boolean;
  /** Requests received since creation (all paths, all methods, including those answered 304). */
  readonly requests: number;
  /** Requests received for one path (query string ignored). */
  requestsTo(path: string): number;
  /** Listen again on the same host and port. No-op when running. */
  start(): Promise<void>;
  /** Stop listening and destroy open connections: the port refuses connections. No-op when stopped. */
  stop(): Promise<void>;
  /** Stop for good. */
  close(): Promise<void>;
}

function htmlPage(marker: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<title>Acme Widgets - Home</title>',
    '</head>',
    '<body>',
    '<header><h1>Acme Widgets</h1><nav><a href="/">Home</a> <a href="/health">Status</a></nav></header>',
    '<main>',
    `<p id="marker">${marker}</p>`,
    '<p>Welcome to Acme Widgets. Our catalogue lists 1,204 widgets in stock today.</p>',
    '</main>',
    '<footer>&copy; Acme Widgets</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

interface Resource {
  body: string;
  contentType: string;
  etag: string;
}

export async function startOrigin(options: OriginOptions = {}): Promise<Origin> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  const port = options.port ?? (await freePort(host));
  const marker = options.marker ?? DEFAULT_ORIGIN_MARKER;
  const cacheControl = options.cacheControl ?? 'public, max-age=1';
  const htmlBody = htmlPage(marker);
  // Whole seconds: HTTP dates have no sub-second part, and If-Modified-Since compares them.
  const lastModifiedMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
  const lastModified = new Date(lastModifiedMs).toUTCString();
  const resources = new Map<string, Resource>([
    ['/', { body: htmlBody, contentType: 'text/html; charset=utf-8', etag: etagOf(htmlBody) }],
    ['/health', { body: HEALTH_BODY, contentType: 'application/json', etag: etagOf(HEALTH_BODY) }],
  ]);

  let total = 0;
  const perPath = new Map<string, number>();

  const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    total += 1;
    const path = new URL(request.url ?? '/', 'http://origin.invalid').pathname;
    perPath.set(path, (perPath.get(path) ?? 0) + 1);
    request.resume();

    const resource = resources.get(path);
    const method = request.method ?? 'GET';
    if (resource === undefined || (method !== 'GET' && method !== 'HEAD')) {
      const status = resource === undefined ? 404 : 405;
      const body = status === 404 ? 'not found\n' : 'method not allowed\n';
      response.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        ...(status === 405 ? { Allow: 'GET, HEAD' } : {}),
      });
      response.end(method === 'HEAD' ? undefined : body);
      return;
    }

    const validators = { 'Cache-Control': cacheControl, 'Last-Modified': lastModified, ETag: resource.etag };
    const ifNoneMatch = request.headers['if-none-match'];
    const ifModifiedSince = request.headers['if-modified-since'];
    const notModified =
      ifNoneMatch !== undefined
        ? ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === resource.etag || tag.trim() === '*')
        : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= lastModifiedMs;
    if (notModified) {
      response.writeHead(304, validators);
      response.end();
      return;
    }
    response.writeHead(200, {
      ...validators,
      'Content-Type': resource.contentType,
      'Content-Length': Buffer.byteLength(resource.body),
    });
    response.end(method === 'HEAD' ? undefined : resource.body);
  };

  let server: http.Server | undefined;
  const sockets = new Set<Socket>();
  let closed = false;

  const start = async (): Promise<void> => {
    if (closed) throw new Error('origin was closed; create a new one');
    if (server !== undefined) return;
    const next = http.createServer(handler);
    next.keepAliveTimeout = 2_000;
    next.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen({ host, port }, () => {
        next.off('error', reject);
        resolve();
      });
    });
    server = next;
  };

  const stop = async (): Promise<void> => {
    const current = server;
    if (current === undefined) return;
    server = undefined;
    const closing = new Promise<void>((resolve) => current.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closing;
  };

  await start();

  return {
    host,
    port,
    origin: `http://${host}:${port}`,
    url: `http://${host}:${port}/`,
    marker,
    htmlBody,
    healthBody: HEALTH_BODY,
    get running() {
      return server !== undefined;
    },
    get requests() {
      return total;
    },
    requestsTo: (path: string) => perPath.get(path) ?? 0,
    start,
    stop,
    close: async () => {
      await stop();
      closed = true;
    },
  };
}
