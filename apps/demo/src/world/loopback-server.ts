/**
 * The plumbing every target of the demo world shares: an HTTP server bound to one IPv4 loopback
 * address, that can stop listening (connections refused, open sockets destroyed, exactly what a
 * crashed process looks like from the outside) and listen again on the same address and port.
 */
import * as http from 'node:http';
import * as net from 'node:net';

/** The world only ever listens on IPv4 loopback, 127.0.0.0/8. */
export function assertLoopback(host: string): void {
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (octets === null || octets.slice(1).some((octet) => Number(octet) > 255)) {
    throw new Error(`the demo world listens on IPv4 loopback only (127.0.0.0/8), got ${JSON.stringify(host)}`);
  }
}

function listenOnce(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`could not read the port bound on ${host}`));
        return;
      }
      resolve(address.port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}

/**
 * A TCP port that is free on every one of `hosts` right now: the kernel picks one on the first
 * host, the others are tried on the same number. Lets several loopback addresses serve one URL
 * port, so a `host:port:address` override can send a host name to any of them.
 */
export async function freeCommonPort(hosts: readonly string[], attempts = 50): Promise<number> {
  const [first, ...rest] = hosts;
  if (first === undefined) throw new Error('freeCommonPort needs at least one host');
  for (const host of hosts) assertLoopback(host);
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const held: net.Server[] = [];
    try {
      const probe = net.createServer();
      held.push(probe);
      const port = await listenOnce(probe, first, 0);
      for (const host of rest) {
        const other = net.createServer();
        held.push(other);
        await listenOnce(other, host, port);
      }
      return port;
    } catch (error) {
      lastError = error;
    } finally {
      await Promise.all(held.map(closeServer));
    }
  }
  throw new Error(`no port is free on all of ${hosts.join(', ')} (last error: ${lastError instanceof Error ? lastError.message : String(lastError)})`);
}

/** Where a target listens. */
export interface ListenOptions {
  /** IPv4 loopback address, e.g. `127.0.0.21`. */
  host: string;
  /** Port; `0` or absent: the kernel picks one at the first `start()`, later starts reuse it. */
  port?: number;
}

/**
 * An HTTP server on one loopback address that can be taken down and brought back on the same
 * port. Subclasses answer requests in {@link LoopbackHttpServer.handle}.
 */
export abstract class LoopbackHttpServer {
  /** The loopback address it listens on. */
  readonly host: string;
  private boundPort: number;
  private server: http.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private transition: Promise<void> = Promise.resolve();

  protected constructor(options: ListenOptions) {
    assertLoopback(options.host);
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`invalid port ${String(options.port)}`);
    this.host = options.host;
    this.boundPort = port;
  }

  /** The port: the one given, or the one the kernel picked at the first start (`0` before). */
  get port(): number {
    return this.boundPort;
  }

  /** `http://host:port` (no trailing slash). */
  get origin(): string {
    return `http://${this.host}:${this.boundPort}`;
  }

  /** `http://host:port/`. */
  get url(): string {
    return `${this.origin}/`;
  }

  /** Whether it accepts connections now. */
  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** Starts listening (no-op when it already is). Resolves once connections are accepted. */
  start(): Promise<void> {
    return this.serialize(async () => {
      if (this.server !== undefined) return;
      const server = http.createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
        try {
          this.handle(request, response);
        } catch (error) {
          if (!response.headersSent) {
            response.writeHead(500, { 'content-type': 'text/plain' });
          }
          response.end(`internal error in the demo world: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      });
      server.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
      });
      // A client that misbehaves must not take the demo down.
      server.on('clientError', (_error, socket) => socket.destroy());
      this.boundPort = await listenOnce(server, this.host, this.boundPort);
      this.server = server;
    });
  }

  /**
   * Stops listening and destroys every open connection: afterwards the port refuses connections
   * and requests in flight are cut. No-op when stopped. `start()` listens again on the same port.
   */
  stop(): Promise<void> {
    return this.serialize(async () => {
      const server = this.server;
      if (server === undefined) return;
      this.server = undefined;
      const closed = closeServer(server);
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
      await closed;
      this.onStopped();
    });
  }

  /** Answers one request. Runs synchronously; asynchronous work must handle its own errors. */
  protected abstract handle(request: http.IncomingMessage, response: http.ServerResponse): void;

  /** Called after the server stopped (timers to clear, etc.). */
  protected onStopped(): void {
    // nothing by default
  }

  private serialize(step: () => Promise<void>): Promise<void> {
    const next = this.transition.then(step, step);
    this.transition = next.catch(() => undefined);
    return next;
  }
}

/** Header names that describe one connection, never forwarded by a proxy (RFC 9110 7.6.1). */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers without hop-by-hop ones (and those named by `Connection`), ready to forward. */
export function forwardableHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers['connection'] ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP_HEADERS.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** What an upstream answered, read whole. */
export interface UpstreamResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Why an upstream request failed without a response. */
export type UpstreamFailure = { kind: 'connect'; error: Error } | { kind: 'timeout' } | { kind: 'reset'; error: Error };

/**
 * Sends one request upstream on a fresh connection and reads the whole answer, within
 * `timeoutMs` from start to last byte. Never rejects: a failure is returned as such.
 */
export function requestUpstream(options: {
  host: string;
  port: number;
  method: string;
  path: string;
  headers: http.OutgoingHttpHeaders;
  body?: Buffer;
  timeoutMs: number;
  maxBodyBytes?: number;
}): Promise<{ ok: true; response: UpstreamResponse } | { ok: false; failure: UpstreamFailure }> {
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    const finish = (result: { ok: true; response: UpstreamResponse } | { ok: false; failure: UpstreamFailure }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = http.request(
      { host: options.host, port: options.port, method: options.method, path: options.path, headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            request.destroy(new Error(`upstream body larger than ${maxBodyBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.once('error', (error) => finish({ ok: false, failure: { kind: 'reset', error } }));
        response.once('aborted', () => finish({ ok: false, failure: { kind: 'reset', error: new Error('upstream aborted the response') } }));
        response.once('end', () =>
          finish({ ok: true, response: { status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) } }),
        );
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, failure: { kind: 'timeout' } });
      request.destroy();
    }, options.timeoutMs);
    request.once('socket', (socket) => {
      socket.once('connect', () => {
        connected = true;
      });
    });
    request.once('error', (error) => finish({ ok: false, failure: connected ? { kind: 'reset', error } : { kind: 'connect', error } }));
    request.end(options.body);
  });
}

/** Reads a request body whole (for proxies that forward it). */
export function readBody(request: http.IncomingMessage, maxBytes = 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new Error(`request body larger than ${maxBytes} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

/** Writes a response unless the client went away; swallows errors of a closed socket. */
export function send(response: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: Buffer | string, head = false): void {
  if (response.destroyed || response.writableEnded) return;
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  response.writeHead(status, { ...headers, 'content-length': String(payload.length) });
  response.end(head ? undefined : payload);
}
