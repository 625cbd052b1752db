/**
 * Real local servers for the probe's tests, on loopback addresses only (127.0.0.2-9), each on a
 * free port, each closed with every connection it accepted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createSecureServer as createSecureHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

export interface TestServer {
  host: string;
  port: number;
  /** `http://host:port` (or https). */
  origin: string;
  close(): Promise<void>;
}

/** A request as a test server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function listen(server: Server, host: string, scheme: 'http' | 'https', wanted = 0): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wanted, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    origin: `${scheme}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * An HTTP server; every request is recorded (with its body) in `seen` before the handler runs.
 * `port` 0 (default) takes a free one; another address's port gives one name's members the same port.
 */
export async function startHttpServer(
  host: string,
  handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void,
  port = 0,
): Promise<TestServer & { seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(request);
      handler(req, res, request);
    });
  };
  const server = createHttpServer(listener);
  return { ...(await listen(server, host, 'http', port)), seen };
}

/** A raw TCP server, for responses no HTTP library would write. */
export async function startRawServer(host: string, onConnection: (socket: Socket) => void): Promise<TestServer> {
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  return listen(server, host, 'http');
}

/** An HTTPS server with the given key and certificate; `servernames` records the SNI of each handshake. */
export async function startHttpsServer(
  host: string,
  credentials: { key: string; cert: string },
  handler: RequestListener,
): Promise<TestServer & { servernames: (string | false | null)[]; requests: number }> {
  const state = { servernames: [] as (string | false | null)[], requests: 0 };
  const server = createHttpsServer(credentials, (req, res) => {
    state.requests += 1;
    handler(req, res);
  });
  server.on('secureConnection', (socket) => state.servernames.push(socket.servername));
  server.on('tlsClientError', () => undefined);
  const base = await listen(server, host, 'https');
  return Object.assign(base, {
    get servernames() {
      return state.servernames;
    },
    get requests() {
      return state.requests;
    },
  });
}

/**
 * A real HTTP/2 server (node:http2, TLS) that also speaks HTTP/1.1 to clients not offering h2
 * (`allowHTTP1`), as production servers do; `versions` records each request's HTTP version.
 */
export async function startHttp2Server(
  host: string,
  credentials: { key: string; cert: string },
  handler: (req: Http2ServerRequest, res: Http2ServerResponse) => void,
): Promise<TestServer & { versions: string[] }> {
  const versions: string[] = [];
  const server = createSecureHttp2Server({ ...credentials, allowHTTP1: true }, (req, res) => {
    versions.push(req.httpVersion);
    handler(req, res);
  });
  server.on('tlsClientError', () => undefined);
  server.on('sessionError', () => undefined);
  return { ...(await listen(server as unknown as Server, host, 'https')), versions };
}

/** A port on `host` that nothing listens on (bound, then released). */
export async function unusedPort(host: string): Promise<number> {
  const server = createNetServer();
  const { port, close } = await listen(server, host, 'http');
  await close();
  return port;
}

/** A self-signed certificate made with the openssl CLI in a temporary directory. */
export function selfSignedCertificate(commonName: string, altNames: string[]): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'crosscheck-probe-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${commonName}/O=Crosscheck Test`,
        '-addext', `subjectAltName=${altNames.join(',')}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One gzip member holding `bytes` zeros, compressed by streaming (the zeros never exist at once).
 * Gzip members concatenate, so repeating it gives a bomb of any size from little memory.
 */
export async function gzipOfZeros(bytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on('end', resolve);
    gzip.on('error', reject);
  });
  const zeros = Buffer.alloc(Math.min(bytes, 1024 * 1024));
  for (let written = 0; written < bytes; written += zeros.length) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}
