import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { lookup } from 'node:dns/promises';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { compileMonitorSpec, type CompiledSpec } from '../spec/compile-monitor-spec';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { gzipOfZeros, startHttpServer, startRawServer, unusedPort, type SeenRequest, type TestServer } from './__fixtures__/test-servers';
import { BYPASS_PARAMETER } from './bypass-request';
import { probe } from './probe';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function track<T extends TestServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  servers.push(started);
  return started;
}

function specOf(url: string, input: Partial<MonitorSpecInput> = {}): CompiledSpec {
  // Most tests look at one request; the bypass request has tests of its own.
  return compileMonitorSpec({ url, cacheBypass: false, ...input });
}

/** Every TCP connection this process opens, to prove a probe never sent a packet somewhere. */
function watchConnections(): { addresses: string[]; stop(): void } {
  const addresses: string[] = [];
  const onSocket = (message: unknown): void => {
    const socket = (message as { socket: Socket }).socket;
    socket.once('connect', () => addresses.push(socket.remoteAddress ?? '?'));
    // The policy must refuse before connect() is even called, so record the attempt too.
    const connecting = (socket as unknown as { _host?: string })._host;
    if (connecting) addresses.push(connecting);
  };
  subscribe('net.client.socket', onSocket);
  return { addresses, stop: () => unsubscribe('net.client.socket', onSocket) };
}

describe('probe: a plain response', () => {
  it('records status, headers, body, address and phase timings', async () => {
    const server = await track(
      startHttpServer('127.0.0.2', (_req, res) => {
        res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT']);
        res.setHeader('X-Multi', ['one', 'two']);
        res.setHeader('Content-Type', 'text/plain');
        res.end('hello');
      }),
    );
    const startedAt = Date.UTC(2026, 0, 1);
    const observation = await probe(specOf(`${server.origin}/health`), { now: () => startedAt });

    expect(observation.error).toBeUndefined();
    expect(observation.startedAt).toBe(startedAt);
    expect(observation.bodyCapBytes).toBe(1024 * 1024);
    expect(observation.finalUrl).toBe(`${server.origin}/health`);
    expect(observation.remoteAddress).toBe('127.0.0.2');
    expect(observation.response).toMatchObject({
      status: 200,
      body: 'hello',
      bodyBytes: 5,
      bodyTruncated: false,
      httpVersion: '1.1',
    });
    expect(observation.response?.headers['x-multi']).toBe('one, two');
    expect(observation.response?.headers['set-cookie']).toBe('a=1; Path=/\nb=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT');
    const { timings } = observation;
    // An IP literal needs no DNS, and plain HTTP no TLS: absent phases did not happen.
    expect(timings.dns).toBeUndefined();
    expect(timings.tls).toBeUndefined();
    expect(timings.connect).toBeGreaterThanOrEqual(0);
    expect(timings.firstByte).toBeGreaterThanOrEqual(0);
    expect(timings.total).toBeGreaterThanOrEqual((timings.connect ?? 0) + (timings.firstByte ?? 0) - 1);
    expect(server.seen[0]?.headers['user-agent']).toMatch(/^crosscheck-probe/);
  });

  it('times the DNS lookup of a host name', async () => {
    // `localhost` resolves locally (hosts file), so the lookup sends nothing anywhere.
    const { address } = await lookup('localhost');
    const server = await track(startHttpServer(address, (_req, res) => res.end('ok')));
    const observation = await probe(specOf(`http://localhost:${server.port}/`));

    expect(observation.error).toBeUndefined();
    expect(observation.timings.dns).toBeGreaterThanOrEqual(0);
    expect(observation.remoteAddress).toBe(address);
  });

  it.each([
    { method: 'HEAD' as const, status: 200 },
    { method: 'GET' as const, status: 204 },
  ])('reads no body for $method with status $status', async ({ method, status }) => {
    const server = await track(
      startHttpServer('127.0.0.2', (_req, res) => {
        // A HEAD response announces the length of a body it does not send.
        res.writeHead(status, status === 204 ? {} : { 'Content-Length': '5' });
        res.end();
      }),
    );
    const observation = await probe(specOf(server.origin, { method }));

    expect(observation.error).toBeUndefined();
    expect(observation.response).toMatchObject({ status, body: '', bodyBytes: 0, bodyTruncated: false });
  });

  it('reports the status line\'s HTTP version, 1.0 included, and reads a body delimited by close', async () => {
    const server = await track(
      startRawServer('127.0.0.2', (socket) => {
        socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<h1>503 Service Unavailable</h1>'));
      }),
    );
    const observation = await probe(specOf(server.origin));

    expect(observation.error).toBeUndefined();
    expect(observation.response).toMatchObject({ status: 200, httpVersion: '1.0', body: '<h1>503 Service Unavailable</h1>' });
  });

  it('decodes a gzip body and records the encoding', async () => {
    const server = await track(
      startHttpServer('127.0.0.2', (_req, res) => {
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        Readable.from([Buffer.from('{"status":"ok"}')]).pipe(createGzip()).pipe(res);
      }),
    );
    const observation = await probe(specOf(server.origin));

    expect(observation.response).toMatchObject({ body: '{"status":"ok"}', bodyBytes: 15, contentEncoding: 'gzip' });
    expect(server.seen[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });
});

describe('probe: resolve overrides', () => {
  it('connects to the override address and keeps the Host header', async () => {
    const server = await track(startHttpServer('127.0.0.3', (req, res) => res.end(`host=${req.headers.host}`)));
    const observation = await probe(specOf(`http://app.test:${server.port}/`, { resolve: [`app.test:${server.port}:127.0.0.3`] }));

    expect(observation.error).toBeUndefined();
    expect(observation.response?.body).toBe(`host=app.test:${server.port}`);
    expect(observation.remoteAddress).toBe('127.0.0.3');
    expect(observation.timings.dns).toBeUndefined();
  });

  it('takes agent-level overrides, and lets the spec win on conflict', async () => {
    const server = await track(startHttpServer('127.0.0.3', (req, res) => res.end(`host=${req.headers.host}`)));
    const url = `http://app.test:${server.port}/`;
    const agentOnly = await probe(specOf(url), { resolve: [{ host: 'app.test', port: server.port, address: '127.0.0.3' }] });
    const deadPort = await unusedPort('127.0.0.4');
    const conflict = await probe(specOf(url, { resolve: [`app.test:${server.port}:127.0.0.3`] }), {
      resolve: [{ host: 'app.test', port: server.port, address: '127.0.0.4' }],
    });
    const agentWrong = await probe(specOf(`http://app.test:${deadPort}/`), {
      resolve: [{ host: 'app.test', port: deadPort, address: '127.0.0.4' }],
    });

    expect(agentOnly.response?.body).toBe(`host=app.test:${server.port}`);
    expect(conflict.response?.body).toBe(`host=app.test:${server.port}`);
    expect(conflict.remoteAddress).toBe('127.0.0.3');
    expect(agentWrong.error?.code).toBe('connection_refused');
  });

  it('applies the address policy to the override address', async () => {
    const observation = await probe(specOf('http://app.test/', { resolve: ['app.test:80:169.254.169.254'] }));
    expect(observation.error).toMatchObject({ code: 'blocked_target', phase: 'connect' });
  });
});

describe('probe: redirects', () => {
  /** A path answers with a body (string) or a redirect ([status, Location or none]). */
  type Routes = Record<string, readonly [number, string | undefined] | string>;

  async function redirectServer(routes: Routes): Promise<TestServer & { seen: SeenRequest[] }> {
    return track(
      startHttpServer('127.0.0.2', (req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const route = routes[path];
        if (typeof route === 'string') {
          res.end(route);
        } else if (route) {
          const [status, location] = route;
          res.writeHead(status, location === undefined ? {} : { Location: location });
          res.end('moved');
        } else {
          res.writeHead(404);
          res.end('not found');
        }
      }),
    );
  }

  it('follows a chain hop by hop, resolving relative locations, and records every hop', async () => {
    const server = await redirectServer({ '/a': [302, '/b'], '/b': [301, 'c?x=1'], '/c': 'landed' });
    const observation = await probe(specOf(`${server.origin}/a`));

    expect(observation.error).toBeUndefined();
    expect(observation.redirects).toEqual([
      { url: `${server.origin}/a`, status: 302, location: '/b' },
      { url: `${server.origin}/b`, status: 301, location: 'c?x=1' },
    ]);
    expect(observation.finalUrl).toBe(`${server.origin}/c?x=1`);
    expect(observation.response?.body).toBe('landed');
  });

  it('returns the 3xx itself when redirects are not followed', async () => {
    const server = await redirectServer({ '/a': [302, '/b'], '/b': 'landed' });
    const observation = await probe(specOf(`${server.origin}/a`, { followRedirects: false }));

    expect(observation.error).toBeUndefined();
    expect(observation.response).toMatchObject({ status: 302, headers: { location: '/b' }, body: 'moved' });
    expect(observation.redirects).toEqual([]);
  });

  it.each<{ name: string; routes: Routes; max: number; code: string; redirects: number }>([
    { name: 'more hops than allowed', routes: { '/a': [302, '/b'], '/b': [302, '/c'], '/c': [302, '/d'], '/d': 'landed' }, max: 2, code: 'too_many_redirects', redirects: 2 },
    { name: 'a loop', routes: { '/a': [302, '/b'], '/b': [302, '/a'] }, max: 5, code: 'redirect_loop', redirects: 1 },
    { name: 'a self-redirect', routes: { '/a': [307, '/a'] }, max: 5, code: 'redirect_loop', redirects: 0 },
    { name: 'no Location', routes: { '/a': [302, undefined] }, max: 5, code: 'invalid_redirect', redirects: 0 },
    { name: 'a non-HTTP Location', routes: { '/a': [302, 'ftp://files.example/x'] }, max: 5, code: 'invalid_redirect', redirects: 0 },
    { name: 'an unparsable Location', routes: { '/a': [302, 'http://[::1'] }, max: 5, code: 'invalid_redirect', redirects: 0 },
  ])('fails on $name with $code', async ({ routes, max, code, redirects }) => {
    const server = await redirectServer(routes);
    const observation = await probe(specOf(`${server.origin}/a`, { maxRedirects: max }));

    expect(observation.error).toMatchObject({ code, phase: 'headers' });
    expect(observation.redirects).toHaveLength(redirects);
    // The redirect that could not be followed is still the recorded response.
    expect(observation.response?.status).toBeGreaterThanOrEqual(300);
  });

  it.each([
    { location: 'http://169.254.169.254/latest/meta-data/', blocked: '169.254.169.254' },
    { location: 'http://[::ffff:169.254.169.254]/latest/meta-data/', blocked: '::ffff:a9fe:a9fe' },
    { location: 'http://[fe80::1]/', blocked: 'fe80::1' },
  ])('refuses a redirect to $location before sending anything there', async ({ location }) => {
    const server = await redirectServer({ '/a': [302, location] });
    const connections = watchConnections();
    try {
      const observation = await probe(specOf(`${server.origin}/a`));

      expect(observation.error).toMatchObject({ code: 'blocked_target', phase: 'connect', url: new URL(location).href });
      expect(observation.redirects).toHaveLength(1);
      // The first hop did connect (the watcher works); nothing went towards the metadata address.
      expect(connections.addresses).toContain('127.0.0.2');
      expect(connections.addresses.filter((a) => a !== '127.0.0.2')).toEqual([]);
    } finally {
      connections.stop();
    }
  });

  it.each([
    { status: 303, method: 'POST' as const, expected: 'GET', body: '' },
    { status: 302, method: 'POST' as const, expected: 'GET', body: '' },
    { status: 301, method: 'POST' as const, expected: 'GET', body: '' },
    { status: 307, method: 'POST' as const, expected: 'POST', body: 'payload' },
    { status: 308, method: 'PUT' as const, expected: 'PUT', body: 'payload' },
    { status: 303, method: 'PUT' as const, expected: 'GET', body: '' },
  ])('after $status a $method becomes $expected', async ({ status, method, expected, body }) => {
    const server = await redirectServer({ '/submit': [status, '/result'], '/result': 'done' });
    const observation = await probe(
      specOf(`${server.origin}/submit`, { method, body: 'payload', headers: { 'Content-Type': 'text/plain' } }),
    );

    expect(observation.error).toBeUndefined();
    const result = server.seen.find((r) => r.url === '/result');
    expect(result?.method).toBe(expected);
    expect(result?.body).toBe(body);
    expect(result?.headers['content-type']).toBe(body === '' ? undefined : 'text/plain');
  });

  it('follows post/redirect/get back to the same URL without calling it a loop', async () => {
    const server = await track(
      startHttpServer('127.0.0.2', (req, res) => {
        if (req.method === 'POST') {
          res.writeHead(303, { Location: '/form' });
          res.end();
        } else res.end('thanks');
      }),
    );
    const observation = await probe(specOf(`${server.origin}/form`, { method: 'POST', body: 'x=1' }));

    expect(observation.error).toBeUndefined();
    expect(observation.response?.body).toBe('thanks');
    expect(server.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /form', 'GET /form']);
  });

  it('drops the monitor\'s headers (Authorization and Cookie included) when a redirect crosses origin, keeps them within it', async () => {
    const other = await track(startHttpServer('127.0.0.3', (_req, res) => res.end('other')));
    const server = await redirectServer({ '/a': [302, '/b'], '/b': [302, `${other.origin}/c`] });
    const observation = await probe(
      specOf(`${server.origin}/a`, { headers: { Authorization: 'Bearer secret', Cookie: 'session=1', 'X-Keep': 'yes' } }),
    );

    expect(observation.error).toBeUndefined();
    expect(observation.finalUrl).toBe(`${other.origin}/c`);
    const sameOrigin = server.seen.find((r) => r.url === '/b');
    expect(sameOrigin?.headers['authorization']).toBe('Bearer secret');
    expect(sameOrigin?.headers['cookie']).toBe('session=1');
    const crossed = other.seen[0];
    expect(crossed?.headers['authorization']).toBeUndefined();
    expect(crossed?.headers['cookie']).toBeUndefined();
    expect(crossed?.headers['x-keep']).toBeUndefined();
    expect(crossed?.headers['host']).toBe(`127.0.0.3:${other.port}`);
  });
});

describe('probe: bounds', () => {
  it('stops an endless body at the cap, quickly, without a timeout', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const server = await track(
      startHttpServer('127.0.0.5', (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      }),
    );
    const started = performance.now();
    const observation = await probe(specOf(server.origin, { maxBodyBytes: 100_000, timeoutMs: 5_000 }));
    const elapsed = performance.now() - started;

    expect(observation.error).toBeUndefined();
    expect(observation.response).toMatchObject({ status: 200, bodyBytes: 100_000, bodyTruncated: true });
    expect(observation.response?.body).toHaveLength(100_000);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('caps a gzip bomb after decompression without inflating it in memory', async () => {
    // 16 gzip members of 64 MiB of zeros each: 1 GiB once inflated, about 1 MiB on the wire,
    // all written at once so it sits in the socket buffers faster than the probe reads.
    const member = await gzipOfZeros(64 * 1024 * 1024);
    const server = await track(
      startHttpServer('127.0.0.5', (_req, res) => {
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'text/plain' });
        for (let i = 0; i < 16; i++) res.write(member);
        res.end();
      }),
    );
    const cap = 1024 * 1024;
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const observation = await probe(specOf(server.origin, { maxBodyBytes: cap, timeoutMs: 10_000 }));
    const elapsed = performance.now() - started;
    const growth = process.memoryUsage().rss - rssBefore;

    expect(observation.error).toBeUndefined();
    expect(observation.response).toMatchObject({ bodyBytes: cap, bodyTruncated: true, contentEncoding: 'gzip' });
    // Inflating the whole bomb would take a GiB (and seconds); the cap plus stream buffers is a few MiB.
    expect(growth).toBeLessThan(48 * 1024 * 1024);
    expect(elapsed).toBeLessThan(1_000);
  });

  it.each([
    { phase: 'body', dripHeaders: false },
    { phase: 'headers', dripHeaders: true },
  ] as const)('ends a slow drip in the $phase phase with a timeout near timeoutMs', async ({ phase, dripHeaders }) => {
    const server = await track(
      startRawServer('127.0.0.6', (socket) => {
        socket.once('data', () => {
          const prefix = dripHeaders ? 'HTTP/1.1 200 OK\r\nX-Drip: ' : 'HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n';
          socket.write(prefix);
          const timer = setInterval(() => socket.write('a'), 500);
          socket.on('close', () => clearInterval(timer));
        });
      }),
    );
    const started = performance.now();
    const observation = await probe(specOf(server.origin, { timeoutMs: 800 }));
    const elapsed = performance.now() - started;

    expect(observation.error).toMatchObject({ code: 'timeout', phase });
    expect(observation.error?.message).toContain('800 ms');
    expect(elapsed).toBeGreaterThanOrEqual(790);
    expect(elapsed).toBeLessThan(1_100);
    expect(observation.timings.total).toBeGreaterThanOrEqual(790);
    if (phase === 'body') expect(observation.response?.bodyBytes).toBeGreaterThan(0);
  });

  it('reports 80 KiB of response headers as headers_too_large', async () => {
    const server = await track(
      startRawServer('127.0.0.6', (socket) => {
        socket.once('data', () => {
          const line = `X-Filler: ${'x'.repeat(1014)}\r\n`;
          socket.end(`HTTP/1.1 200 OK\r\n${line.repeat(80)}Content-Length: 2\r\n\r\nok`);
        });
      }),
    );
    const observation = await probe(specOf(server.origin));
    expect(observation.error).toMatchObject({ code: 'headers_too_large', phase: 'headers' });
  });
});

describe('probe: failures become observations', () => {
  it('reports a refused connection, naming the address', async () => {
    const port = await unusedPort('127.0.0.7');
    const observation = await probe(specOf(`http://127.0.0.7:${port}/`));

    expect(observation.error).toMatchObject({ code: 'connection_refused', phase: 'connect', url: `http://127.0.0.7:${port}/` });
    expect(observation.error?.message).toContain(`127.0.0.7:${port}`);
    expect(observation.response).toBeUndefined();
  });

  it('reports a name that does not resolve as dns_failure', async () => {
    const observation = await probe(specOf('http://crosscheck-probe-test.invalid/'));

    expect(observation.error).toMatchObject({ code: 'dns_failure', phase: 'dns' });
    expect(observation.error?.message).toContain('crosscheck-probe-test.invalid');
    expect(observation.timings.dns).toBeGreaterThanOrEqual(0);
  });

  it.each([
    { name: 'closes mid-headers', reply: 'HTTP/1.1 200 OK\r\nContent-Ty', codes: ['connection_reset', 'protocol_error'] },
    { name: 'closes without a word', reply: '', codes: ['connection_reset'] },
    { name: 'answers with garbage', reply: 'SSH-2.0-OpenSSH_9.6\r\n\r\n', codes: ['protocol_error'] },
    { name: 'sends a short body', reply: 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this', codes: ['connection_reset', 'protocol_error'] },
  ])('reports a server that $name as $codes', async ({ reply, codes }) => {
    const server = await track(
      startRawServer('127.0.0.8', (socket) => {
        socket.once('data', () => socket.end(reply));
      }),
    );
    const observation = await probe(specOf(server.origin));

    expect(codes).toContain(observation.error?.code);
    expect(observation.error?.message).toContain('127.0.0.8');
  });

  it.each([
    { url: 'http://127.0.0.2/', options: { allowPrivate: false }, blocked: true },
    { url: 'http://[::1]/', options: { allowPrivate: false }, blocked: true },
    { url: 'http://[::ffff:127.0.0.2]/', options: { allowPrivate: false }, blocked: true },
    { url: 'http://169.254.169.254/', options: {}, blocked: true },
    { url: 'http://100.100.100.200/', options: { allowPrivate: true }, blocked: true },
    { url: 'http://[fd00:ec2::254]/', options: { allowPrivate: true }, blocked: true },
  ])('refuses $url with $options before connecting', async ({ url, options }) => {
    const connections = watchConnections();
    try {
      const observation = await probe(specOf(url, { timeoutMs: 2_000 }), options);
      expect(observation.error).toMatchObject({ code: 'blocked_target', phase: 'connect' });
      expect(connections.addresses).toEqual([]);
    } finally {
      connections.stop();
    }
  });

  it('refuses a host name that resolves to a refused range', async () => {
    const { address } = await lookup('localhost');
    const observation = await probe(specOf('http://localhost:9/'), { allowPrivate: false });
    expect(observation.error).toMatchObject({ code: 'blocked_target', phase: 'connect' });
    expect(observation.error?.message).toContain(address);
  });
});

describe('probe: cache bypass and conditional requests', () => {
  it('makes the bypass request concurrently, with a unique parameter and no-cache, and records it', async () => {
    const waiting: (() => void)[] = [];
    const server = await track(
      startHttpServer('127.0.0.9', (req, res) => {
        // Answer only once both requests are in: a sequential bypass would run into the deadline.
        waiting.push(() => res.end(req.url?.includes(BYPASS_PARAMETER) ? 'fresh' : 'cached'));
        if (waiting.length === 2) for (const answer of waiting.splice(0)) answer();
      }),
    );
    const observation = await probe(compileMonitorSpec({ url: `${server.origin}/page?lang=en`, timeoutMs: 2_000 }));

    expect(observation.error).toBeUndefined();
    expect(observation.response?.body).toBe('cached');
    expect(observation.bypass?.error).toBeUndefined();
    expect(observation.bypass?.response?.body).toBe('fresh');
    expect(observation.bypass?.url).toMatch(new RegExp(`^${server.origin}/page\\?lang=en&${BYPASS_PARAMETER}=[0-9a-f]{16}$`));
    const primary = server.seen.find((r) => !r.url.includes(BYPASS_PARAMETER));
    const bypass = server.seen.find((r) => r.url.includes(BYPASS_PARAMETER));
    expect(primary?.url).toBe('/page?lang=en');
    expect(primary?.headers['cache-control']).toBeUndefined();
    expect(bypass?.headers['cache-control']).toBe('no-cache');
    expect(bypass?.headers['pragma']).toBe('no-cache');
  });

  it('makes no bypass request when the spec turns it off', async () => {
    const server = await track(startHttpServer('127.0.0.9', (_req, res) => res.end('ok')));
    const observation = await probe(compileMonitorSpec({ url: server.origin, cacheBypass: false }));

    expect(observation.bypass).toBeUndefined();
    expect(server.seen).toHaveLength(1);
  });

  it('sends the previous validators, records them and takes a 304; the bypass is never conditional', async () => {
    const etag = '"v1"';
    const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const server = await track(
      startHttpServer('127.0.0.9', (req, res) => {
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { ETag: etag });
          res.end();
        } else {
          res.writeHead(200, { ETag: etag });
          res.end('content');
        }
      }),
    );
    const observation = await probe(compileMonitorSpec({ url: server.origin, conditional: true }), {
      previous: { etag, lastModified },
    });

    expect(observation.error).toBeUndefined();
    expect(observation.conditional).toEqual({ ifNoneMatch: etag, ifModifiedSince: lastModified });
    expect(observation.response).toMatchObject({ status: 304, body: '', bodyBytes: 0 });
    expect(observation.bypass?.response?.status).toBe(200);
    expect(observation.bypass?.conditional).toBeUndefined();
    const bypass = server.seen.find((r) => r.url.includes(BYPASS_PARAMETER));
    expect(bypass?.headers['if-none-match']).toBeUndefined();
    expect(bypass?.headers['if-modified-since']).toBeUndefined();
    const primary = server.seen.find((r) => !r.url.includes(BYPASS_PARAMETER));
    expect(primary?.headers['if-modified-since']).toBe(lastModified);
  });

  it('sends no validators when the spec is not conditional', async () => {
    const server = await track(startHttpServer('127.0.0.9', (_req, res) => res.end('ok')));
    const observation = await probe(specOf(server.origin), { previous: { etag: '"v1"' } });

    expect(observation.conditional).toBeUndefined();
    expect(server.seen[0]?.headers['if-none-match']).toBeUndefined();
  });

  it('gives the bypass request the same deadline', async () => {
    const server = await track(
      startHttpServer('127.0.0.9', (req, res) => {
        if (!req.url?.includes(BYPASS_PARAMETER)) res.end('ok');
        // The bypass request is never answered.
      }),
    );
    const started = performance.now();
    const observation = await probe(compileMonitorSpec({ url: server.origin, timeoutMs: 500 }));

    expect(observation.error).toBeUndefined();
    expect(observation.bypass?.error).toMatchObject({ code: 'timeout', phase: 'headers' });
    expect(performance.now() - started).toBeLessThan(900);
  });
});

describe('probe: clean-up', () => {
  it('leaves no sockets or timers behind, whichever way its requests ended', async () => {
    const activeSockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const endless = await track(
      startHttpServer('127.0.0.5', (_req, res) => {
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      }),
    );
    const drip = await track(
      startRawServer('127.0.0.6', (socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n');
          const timer = setInterval(() => socket.write('a'), 100);
          socket.on('close', () => clearInterval(timer));
        });
      }),
    );
    const redirect = await track(
      startHttpServer('127.0.0.7', (_req, res) => {
        res.writeHead(302, { Location: 'http://169.254.169.254/' });
        res.end();
      }),
    );
    const outcomes = await Promise.all([
      probe(compileMonitorSpec({ url: endless.origin, maxBodyBytes: 2048 })),
      probe(compileMonitorSpec({ url: drip.origin, timeoutMs: 300 })),
      probe(compileMonitorSpec({ url: redirect.origin })),
    ]);
    expect(outcomes.map((o) => [o.error?.code, o.bypass?.error?.code])).toEqual([
      [undefined, undefined],
      ['timeout', 'timeout'],
      ['blocked_target', 'blocked_target'],
    ]);
    // Server-side sockets close once they see the probe's side go; give them a moment. The test
    // servers stay open, so any socket left is one the probe (or a server) still holds.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(activeSockets()).toBe(0);
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBeLessThanOrEqual(1);
  });
});
