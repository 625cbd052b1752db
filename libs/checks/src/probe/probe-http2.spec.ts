import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { selfSignedCertificate, startHttp2Server, type TestServer } from './__fixtures__/test-servers';
import { probe } from './probe';

const HOST = 'h2.test';
const ADDRESS = '127.0.0.5';

let credentials: { key: string; cert: string };
let server: TestServer & { versions: string[] };

beforeAll(async () => {
  credentials = selfSignedCertificate(HOST, [`DNS:${HOST}`]);
  server = await startHttp2Server(ADDRESS, credentials, (req, res) => {
    if (req.url === '/gzip') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(gzipSync('decoded over h2'));
    } else if (req.url === '/big-headers') {
      res.writeHead(200, { 'x-padding': 'p'.repeat(4096) });
      res.end('ok');
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=60' });
      res.end(JSON.stringify({ status: 'ok', path: req.url }));
    }
  });
});

afterAll(async () => {
  await server.close();
});

function specFor(path: string, input: Partial<MonitorSpecInput> = {}) {
  return compileMonitorSpec({
    url: `https://${HOST}:${server.port}${path}`,
    resolve: [`${HOST}:${server.port}:${ADDRESS}`],
    cacheBypass: false,
    tls: { ca: credentials.cert },
    ...input,
  });
}

describe('probe: HTTP/2', () => {
  it('offers h2 in ALPN and records httpVersion 2, with the certificate, timings and body as over 1.1', async () => {
    const before = server.versions.length;
    const spec = specFor('/health', { cacheBypass: true });
    const observation = await probe(spec);

    expect(observation.error).toBeUndefined();
    expect(observation.response).toMatchObject({ status: 200, httpVersion: '2', body: '{"status":"ok","path":"/health"}' });
    expect(observation.response?.headers['content-type']).toBe('application/json');
    // No pseudo-header leaks into the headers evaluation reads.
    expect(Object.keys(observation.response?.headers ?? {}).some((name) => name.startsWith(':'))).toBe(false);
    expect(observation.bypass?.response?.httpVersion).toBe('2');
    expect(server.versions.slice(before)).toEqual(['2.0', '2.0']);
    expect(observation.tls).toMatchObject({ subject: HOST, authorized: true });
    expect(observation.timings).toMatchObject({ connect: expect.any(Number), tls: expect.any(Number), firstByte: expect.any(Number) });
    expect(observation.remoteAddress).toBe(ADDRESS);

    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('up');
    expect(verdict.evidence.protocol).toBe('2');
  });

  it('stays on HTTP/1.1 with http2: false', async () => {
    const before = server.versions.length;
    const observation = await probe(specFor('/health', { http2: false }));

    expect(observation.response).toMatchObject({ status: 200, httpVersion: '1.1' });
    expect(server.versions.slice(before)).toEqual(['1.1']);
    expect(evaluate(specFor('/health', { http2: false }), observation).evidence.protocol).toBe('1.1');
  });

  it('decodes a gzip body over h2', async () => {
    const observation = await probe(specFor('/gzip'));
    expect(observation.response).toMatchObject({ httpVersion: '2', body: 'decoded over h2', contentEncoding: 'gzip' });
  });

  it('bounds the response headers over h2 as over 1.1', async () => {
    const observation = await probe(specFor('/big-headers', { maxHeaderBytes: 1024 }));
    expect(observation.error).toMatchObject({ code: 'headers_too_large', phase: 'headers' });

    const roomy = await probe(specFor('/big-headers', { maxHeaderBytes: 16 * 1024 }));
    expect(roomy.response).toMatchObject({ status: 200, httpVersion: '2', body: 'ok' });
  });

  it('still refuses an untrusted certificate before any request', async () => {
    const before = server.versions.length;
    const observation = await probe(specFor('/health', { tls: {} }));
    expect(observation.error).toMatchObject({ code: 'tls_error', phase: 'tls' });
    expect(server.versions.length).toBe(before);
  });
});
