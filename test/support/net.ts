/**
 * Small loopback-only network helpers for end-to-end suites: free ports, waiting for a listener,
 * and a plain HTTP GET that opens a fresh connection every time (no keep-alive pool that would
 * hide a stopped server or keep one alive).
 */
import * as http from 'node:http';
import * as net from 'node:net';

/** Suites only ever talk to loopback: 127.0.0.0/8. */
export function assertLoopback(host: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    throw new Error(`test support listens on IPv4 loopback only (127.0.0.0/8), got ${JSON.stringify(host)}`);
  }
}

/**
 * A TCP port that is free on `host` right now (the kernel picks it). Another process could take it
 * before the caller binds it; on a test machine that is rare enough, and the binding fails loudly.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  assertLoopback(host);
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error(`could not read the port bound on ${host}`);
  return address.port;
}

/**
 * A port free on every one of `hosts` right now, so that a name can be routed to any of them on
 * the same port (agents' `RESOLVE` overrides keep the port: `name:port:address`).
 */
export async function freePortOnAll(hosts: readonly string[]): Promise<number> {
  hosts.forEach(assertLoopback);
  const [first, ...rest] = hosts;
  if (first === undefined) throw new Error('freePortOnAll needs at least one host');
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort(first);
    const free = await Promise.all(
      rest.map(
        (host) =>
          new Promise<boolean>((resolve) => {
            const server = net.createServer();
            server.once('error', () => resolve(false));
            server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no port free on every one of ${hosts.join(', ')}`);
}

/** Whether a TCP connection to host:port is accepted within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value other than `undefined` and returns that value. On timeout
 * it throws with `description` and the last value or error the probe produced, so a failing suite
 * says what it was waiting for and what it saw instead.
 */
export async function waitUntil<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 100 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      last = 'the condition was not met';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description} (last: ${last})`);
    await sleep(intervalMs);
  }
}

export interface HttpResult {
  status: number;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/** GET (or another method) over a fresh connection, with a hard timeout; rejects on socket errors. */
export function httpGet(
  url: string,
  { headers = {}, timeoutMs = 5_000, method = 'GET' }: { headers?: Record<string, string>; timeoutMs?: number; method?: string } = {},
): Promise<HttpResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value === undefined) continue;
          flat[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: response.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started });
      });
    });
    request.on('timeout', () => request.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}
