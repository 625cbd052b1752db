import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { selfSignedCertificate, startHttpsServer, startRawServer, type TestServer } from './__fixtures__/test-servers';
import { probe } from './probe';

const HOST = 'probe.test';
const ADDRESS = '127.0.0.4';
const NOW = Date.UTC(2026, 5, 1);

let credentials: { key: string; cert: string };
let server: TestServer & { servernames: (string | false | null)[]; requests: number };

beforeAll(async () => {
  credentials = selfSignedCertificate(HOST, [`DNS:${HOST}`, `IP:${ADDRESS}`]);
  server = await startHttpsServer(ADDRESS, credentials, (req, res) => res.end(`host=${req.headers.host}`));
});

afterAll(async () => {
  await server.close();
});

function specFor(host: string, input: Partial<MonitorSpecInput> = {}) {
  return compileMonitorSpec({
    url: `https://${host}:${server.port}/`,
    resolve: [`${host}:${server.port}:${ADDRESS}`],
    cacheBypass: false,
    ...input,
  });
}

describe('probe: TLS', () => {
  it('refuses a self-signed certificate with tls_error, records its facts and sends no request', async () => {
    const before = server.requests;
    const observation = await probe(specFor(HOST), { now: () => NOW });

    expect(observation.error).toMatchObject({ code: 'tls_error', phase: 'tls' });
    expect(observation.error?.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(observation.error?.message).toContain(HOST);
    expect(observation.response).toBeUndefined();
    expect(server.requests).toBe(before);
    expect(observation.tls).toMatchObject({
      subject: HOST,
      issuer: `${HOST} (Crosscheck Test)`,
      altNames: [HOST, ADDRESS],
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      protocol: 'TLSv1.3',
    });
    expect(observation.tls?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(observation.tls?.validTo ?? '')).toBeGreaterThan(Date.parse(observation.tls?.validFrom ?? ''));
    // The probe clock decides daysRemaining, not the wall clock.
    const expected = Math.floor((Date.parse(observation.tls?.validTo ?? '') - NOW) / 86_400_000);
    expect(observation.tls?.daysRemaining).toBe(expected);
    expect(observation.timings.tls).toBeGreaterThanOrEqual(0);
  });

  it('with verification off, gets the response and still reports the certificate as not authorized', async () => {
    const observation = await probe(specFor(HOST, { tls: { verify: false } }));

    expect(observation.error).toBeUndefined();
    expect(observation.response?.body).toBe(`host=${HOST}:${server.port}`);
    expect(observation.tls).toMatchObject({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('trusts a certificate issued by tls.ca, sending SNI and Host for the URL host despite the override', async () => {
    const sniBefore = server.servernames.length;
    const observation = await probe(specFor(HOST, { tls: { ca: credentials.cert } }));

    expect(observation.error).toBeUndefined();
    expect(observation.tls?.authorized).toBe(true);
    expect(observation.tls?.authorizationError).toBeUndefined();
    expect(observation.response?.body).toBe(`host=${HOST}:${server.port}`);
    expect(observation.remoteAddress).toBe(ADDRESS);
    expect(server.servernames.slice(sniBefore)).toEqual([HOST]);
  });

  it('checks the host name even for a trusted certificate', async () => {
    const observation = await probe(specFor('other.test', { tls: { ca: credentials.cert } }));

    expect(observation.error).toMatchObject({ code: 'tls_error', phase: 'tls' });
    expect(observation.error?.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(observation.tls?.authorized).toBe(false);
  });

  it('verifies an IP-literal URL against the IP subject alternative name, without SNI', async () => {
    const sniBefore = server.servernames.length;
    const observation = await probe(
      compileMonitorSpec({ url: `https://${ADDRESS}:${server.port}/`, cacheBypass: false, tls: { ca: credentials.cert } }),
    );

    expect(observation.error).toBeUndefined();
    expect(observation.tls?.authorized).toBe(true);
    expect(server.servernames.slice(sniBefore)).toEqual([false]);
  });

  it('reports an unloadable tls.ca as tls_error (a spec that skipped validation; a valid spec refuses it)', async () => {
    const ca = '-----BEGIN CERTIFICATE-----\nnot a cert\n-----END CERTIFICATE-----\n';
    expect(() => specFor(HOST, { tls: { ca } })).toThrow(/tls\.ca: certificate 1 is not valid/);
    const valid = specFor(HOST);
    const observation = await probe({ ...valid, tls: { ...valid.tls, ca } });
    expect(observation.error).toMatchObject({ code: 'tls_error', phase: 'tls' });
    expect(observation.error?.message).toContain('tls.ca could not be loaded');
    expect(observation.tls).toBeUndefined();
  });

  it('times out in the tls phase when the handshake never completes', async () => {
    const silent = await startRawServer('127.0.0.4', () => undefined);
    try {
      const observation = await probe(compileMonitorSpec({ url: `https://127.0.0.4:${silent.port}/`, cacheBypass: false, timeoutMs: 300 }));
      expect(observation.error).toMatchObject({ code: 'timeout', phase: 'tls' });
      expect(observation.timings.connect).toBeGreaterThanOrEqual(0);
      expect(observation.timings.tls).toBeGreaterThanOrEqual(250);
    } finally {
      await silent.close();
    }
  });

  it('reports a handshake with something that does not speak TLS as tls_error', async () => {
    const plain = await startRawServer('127.0.0.4', (socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    try {
      const observation = await probe(compileMonitorSpec({ url: `https://127.0.0.4:${plain.port}/`, cacheBypass: false }));
      expect(observation.error).toMatchObject({ code: 'tls_error', phase: 'tls' });
      expect(observation.tls).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
