import { afterEach, describe, expect, it } from 'vitest';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { startHttpServer, type SeenRequest, type TestServer } from './__fixtures__/test-servers';
import { probe } from './probe';

/**
 * The monitor's own headers on a redirect, with two real servers on two loopback addresses (two
 * origins): the one redirected to must never see a credential it was not meant to get.
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Pair {
  first: TestServer & { seen: SeenRequest[] };
  other: TestServer & { seen: SeenRequest[] };
}

/** `first` (127.0.0.2) answers `/start` with a redirect to `location(other)`, then `/same` with 200; `other` (127.0.0.3) with 200. */
async function twoOrigins(location: (other: TestServer) => string): Promise<Pair> {
  const other = await startHttpServer('127.0.0.3', (_req, res) => res.end('other'));
  servers.push(other);
  const first = await startHttpServer('127.0.0.2', (req, res) => {
    if (req.url?.startsWith('/start')) res.writeHead(302, { Location: location(other) }).end();
    else res.end('same');
  });
  servers.push(first);
  return { first, other };
}

const MONITOR_HEADERS = {
  'X-Api-Key': 'key-0123456789',
  'X-Custom': 'custom-value',
  Authorization: 'Bearer token-0123456789',
  Cookie: 'session=abc',
  'User-Agent': 'shop-monitor/1.0',
  Accept: 'application/json',
};

async function probeFrom(first: TestServer, input: Partial<MonitorSpecInput> = {}) {
  return probe(compileMonitorSpec({ url: `${first.origin}/start`, cacheBypass: false, headers: MONITOR_HEADERS, ...input }));
}

describe('probe: the monitor\'s headers on a redirect', () => {
  it('drops every header the monitor set when a redirect leaves the origin, X-Api-Key included', async () => {
    const { first, other } = await twoOrigins((o) => `${o.origin}/landing`);
    const observation = await probeFrom(first);

    expect(observation.error).toBeUndefined();
    expect(observation.finalUrl).toBe(`${other.origin}/landing`);
    expect(first.seen[0]?.headers['x-api-key']).toBe('key-0123456789');
    const crossed = other.seen[0]!.headers;
    for (const name of ['x-api-key', 'x-custom', 'authorization', 'cookie']) expect(crossed[name], name).toBeUndefined();
    // What the monitor overrode falls back to what the probe sends by default.
    expect(crossed['user-agent']).toMatch(/^crosscheck-probe/);
    expect(crossed['accept']).toBe('*/*');
    expect(crossed['host']).toBe(`127.0.0.3:${other.port}`);
  });

  it('keeps them within the origin', async () => {
    const { first } = await twoOrigins(() => '/same');
    await probeFrom(first);

    const second = first.seen[1]!.headers;
    expect(second['x-api-key']).toBe('key-0123456789');
    expect(second['authorization']).toBe('Bearer token-0123456789');
    expect(second['user-agent']).toBe('shop-monitor/1.0');
  });

  it('treats another port or scheme of the same host as another origin', async () => {
    const other = await startHttpServer('127.0.0.2', (_req, res) => res.end('other port'));
    servers.push(other);
    const first = await startHttpServer('127.0.0.2', (_req, res) => res.writeHead(307, { Location: `${other.origin}/` }).end());
    servers.push(first);
    await probe(compileMonitorSpec({ url: `${first.origin}/start`, cacheBypass: false, headers: MONITOR_HEADERS }));

    expect(other.seen[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('forwards them when the monitor allows it, except Authorization, Proxy-Authorization and Cookie', async () => {
    const { first, other } = await twoOrigins((o) => `${o.origin}/landing`);
    await probeFrom(first, { forwardHeadersCrossOrigin: true });

    const crossed = other.seen[0]!.headers;
    expect(crossed['x-api-key']).toBe('key-0123456789');
    expect(crossed['x-custom']).toBe('custom-value');
    expect(crossed['user-agent']).toBe('shop-monitor/1.0');
    expect(crossed['authorization']).toBeUndefined();
    expect(crossed['cookie']).toBeUndefined();
  });

  it('never forwards the Basic credentials of the URL to another origin', async () => {
    const { first, other } = await twoOrigins((o) => `${o.origin}/landing`);
    const url = new URL(`${first.origin}/start`);
    url.username = 'alice';
    url.password = 's3cret';
    await probe(compileMonitorSpec({ url: url.href, cacheBypass: false, forwardHeadersCrossOrigin: true }));

    expect(first.seen[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    expect(other.seen[0]?.headers['authorization']).toBeUndefined();
  });

  it('does the same for the cache-bypassing request, which keeps its own no-cache headers', async () => {
    const { first, other } = await twoOrigins((o) => `${o.origin}/landing`);
    await probeFrom(first, { cacheBypass: true, headers: { ...MONITOR_HEADERS, 'Cache-Control': 'max-age=60' } });

    expect(other.seen).toHaveLength(2);
    for (const seen of other.seen) expect(seen.headers['x-api-key']).toBeUndefined();
    const bypass = other.seen.find((seen) => seen.headers['pragma'] === 'no-cache');
    expect(bypass?.headers['cache-control']).toBe('no-cache');
  });
});
