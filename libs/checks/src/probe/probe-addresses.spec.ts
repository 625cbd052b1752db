import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { startStalledListener } from './__fixtures__/stalled-listener';
import { startHttpServer, type SeenRequest, type TestServer } from './__fixtures__/test-servers';
import { CONNECTION_ATTEMPT_DELAY_MS } from './connector';
import { probe } from './probe';
import type { HostResolver, ResolvedAddress } from './resolve-address';

// One name, several members: each test's servers share one port on addresses of their own (127.0.0.11-19, 127.0.0.171-172).
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(address: string, port = 0, body = '{"status":"ok"}', status = 200): Promise<TestServer & { seen: SeenRequest[] }> {
  const server = await startHttpServer(
    address,
    (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(status >= 300 && status < 400 ? { location: '/ok' } : {}) });
      res.end(body);
    },
    port,
  );
  servers.push(server);
  return server;
}

/** The probe's injectable resolver, answering one fixed list for `svc.test` and nothing else. */
function resolverOf(addresses: ResolvedAddress[], asked: string[] = []): HostResolver {
  return (host) => {
    asked.push(host);
    if (host !== 'svc.test') return Promise.reject(Object.assign(new Error(`${host} not found`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses);
  };
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

function specFor(port: number, input: Partial<MonitorSpecInput> = {}) {
  return compileMonitorSpec({ url: `http://svc.test:${port}/health`, cacheBypass: false, ...input });
}

describe('probe: a name with several addresses', () => {
  it('reaches the live member when the first one refuses, checks each, and calls the dead one address_down (degraded)', async () => {
    const live = await serve('127.0.0.11');
    const asked: string[] = [];
    const spec = specFor(live.port, { cacheBypass: true });
    const observation = await probe(spec, { resolver: resolverOf([v4('127.0.0.12'), v4('127.0.0.11')], asked) });

    expect(observation.error).toBeUndefined();
    expect(observation.response?.status).toBe(200);
    expect(observation.remoteAddress).toBe('127.0.0.11');
    // One lookup for the user path, the bypass and the per-address requests.
    expect(asked).toEqual(['svc.test']);
    expect(observation.addresses?.map((a) => [a.address, a.family, a.outcome.response?.status ?? a.outcome.error?.code])).toEqual([
      ['127.0.0.12', 4, 'connection_refused'],
      ['127.0.0.11', 4, 200],
    ]);

    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('degraded');
    const cause = verdict.causes.find((c) => c.code === 'address_down');
    expect(cause).toMatchObject({
      severity: 'degraded',
      message: '1 of 2 addresses of svc.test is down: 127.0.0.12 refused the connection; users reach it at random',
      evidence: { host: 'svc.test', deadAddresses: ['127.0.0.12'], addressesChecked: 2, addressesHealthy: 1 },
    });
    expect(verdict.evidence.addresses).toEqual([
      { address: '127.0.0.12', family: 4, ok: false, httpStatus: null, error: 'connection_refused', totalMs: expect.any(Number) },
      { address: '127.0.0.11', family: 4, ok: true, httpStatus: 200, error: null, totalMs: expect.any(Number) },
    ]);
    expect(verdict.evidence.protocol).toBe('1.1');
  });

  it('is up with no address_down when every member answers, each member requested once on its own', async () => {
    const first = await serve('127.0.0.13');
    const second = await serve('127.0.0.14', first.port);
    const spec = specFor(first.port);
    const observation = await probe(spec, { resolver: resolverOf([v4('127.0.0.13'), v4('127.0.0.14')]) });

    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('up');
    expect(verdict.causes.map((c) => c.code)).not.toContain('address_down');
    expect(verdict.evidence.addresses?.map((a) => [a.address, a.ok])).toEqual([
      ['127.0.0.13', true],
      ['127.0.0.14', true],
    ]);
    // The user path went to the first member; the per-address requests to each.
    expect(first.seen).toHaveLength(2);
    expect(second.seen).toHaveLength(1);
  });

  it('names a member that answers with an error page as down, with what it answered', async () => {
    const good = await serve('127.0.0.15');
    await serve('127.0.0.16', good.port, 'upstream connect error', 503);
    const spec = specFor(good.port);
    const observation = await probe(spec, { resolver: resolverOf([v4('127.0.0.15'), v4('127.0.0.16')]) });

    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('degraded');
    expect(verdict.causes.find((c) => c.code === 'address_down')?.message).toBe(
      '1 of 2 addresses of svc.test is down: 127.0.0.16 answered 503; users reach it at random',
    );
  });

  it('Happy Eyeballs: IPv6 ::1 refusing while the IPv4 member answers reaches the IPv4 one, and ::1 is address_down', async () => {
    const live = await serve('127.0.0.17');
    const spec = specFor(live.port);
    const observation = await probe(spec, { resolver: resolverOf([{ address: '::1', family: 6 }, v4('127.0.0.17')]) });

    expect(observation.error).toBeUndefined();
    expect(observation.remoteAddress).toBe('127.0.0.17');
    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('degraded');
    expect(verdict.causes.find((c) => c.code === 'address_down')?.message).toBe(
      '1 of 2 addresses of svc.test is down: ::1 refused the connection; users reach it at random',
    );
    expect(verdict.evidence.addresses?.[0]).toMatchObject({ address: '::1', family: 6, ok: false, error: 'connection_refused' });
  });

  it('Happy Eyeballs: a first member that stalls (no answer to its SYN) costs one attempt delay, not the timeout; it is address_down as a timeout', async () => {
    const live = await serve('127.0.0.171');
    const stalled = await startStalledListener('127.0.0.172', live.port);
    try {
      const spec = specFor(live.port, { timeoutMs: 1500 });
      const observation = await probe(spec, { resolver: resolverOf([v4('127.0.0.172'), v4('127.0.0.171')]) });

      expect(observation.error).toBeUndefined();
      expect(observation.remoteAddress).toBe('127.0.0.171');
      // The user path waited for the stalled member one attempt delay, then raced the next one.
      expect(observation.timings.connect).toBeGreaterThanOrEqual(CONNECTION_ATTEMPT_DELAY_MS - 10);
      expect(observation.timings.total).toBeLessThan(1500);
      expect(observation.addresses?.map((a) => [a.address, a.outcome.response?.status ?? a.outcome.error?.code])).toEqual([
        ['127.0.0.172', 'timeout'],
        ['127.0.0.171', 200],
      ]);
      const verdict = evaluate(spec, observation);
      expect(verdict.status).toBe('degraded');
      expect(verdict.causes.find((c) => c.code === 'address_down')?.evidence).toMatchObject({ deadAddresses: ['127.0.0.172'] });
    } finally {
      await stalled.close();
    }
  });

  it('reports the first address and its error when every member refuses, and adds no address_down (the user path is down itself)', async () => {
    const probeFor = await serve('127.0.0.18');
    const port = probeFor.port;
    await probeFor.close();
    servers.splice(servers.indexOf(probeFor), 1);
    const spec = specFor(port);
    const observation = await probe(spec, { resolver: resolverOf([v4('127.0.0.18'), v4('127.0.0.19')]) });

    expect(observation.error).toMatchObject({ code: 'connection_refused', phase: 'connect' });
    expect(observation.error?.message).toContain('127.0.0.18');
    const verdict = evaluate(spec, observation);
    expect(verdict.status).toBe('down');
    expect(verdict.causes.map((c) => c.code)).toEqual(['connection_refused']);
    expect(verdict.evidence.addresses?.every((a) => !a.ok)).toBe(true);
  });

  it('takes a redirect from a member as an answer (the user path follows it), and caps each member body at 64 KiB', async () => {
    const big = 'x'.repeat(200 * 1024);
    const first = await startHttpServer('127.0.0.11', (req, res) => {
      if (req.url === '/health') {
        res.writeHead(302, { location: '/ok' });
        res.end();
      } else res.end(big);
    });
    const second = await startHttpServer('127.0.0.12', (req, res) => {
      if (req.url === '/health') {
        res.writeHead(302, { location: '/ok' });
        res.end();
      } else res.end(big);
    }, first.port);
    servers.push(first, second);
    const spec = specFor(first.port, { maxBodyBytes: 1024 * 1024 });
    const observation = await probe(spec, { resolver: resolverOf([v4('127.0.0.11'), v4('127.0.0.12')]) });

    expect(observation.response?.bodyBytes).toBe(200 * 1024);
    expect(observation.redirects).toHaveLength(1);
    expect(observation.addresses?.map((a) => a.outcome.response?.status)).toEqual([302, 302]);
    expect(evaluate(spec, observation).causes.map((c) => c.code)).not.toContain('address_down');
    expect(second.seen.map((r) => r.url)).toEqual(['/health']);
  });

  it('caps a member body at 64 KiB', async () => {
    const first = await serve('127.0.0.13', 0, 'y'.repeat(100 * 1024));
    await serve('127.0.0.14', first.port, 'y'.repeat(100 * 1024));
    const observation = await probe(specFor(first.port, { maxBodyBytes: 1024 * 1024 }), { resolver: resolverOf([v4('127.0.0.13'), v4('127.0.0.14')]) });

    expect(observation.response?.bodyBytes).toBe(100 * 1024);
    expect(observation.addresses?.map((a) => [a.outcome.response?.bodyBytes, a.outcome.response?.bodyTruncated])).toEqual([
      [64 * 1024, true],
      [64 * 1024, true],
    ]);
  });

  it('makes no per-address requests with addresses.checkEach off, and at most addresses.max', async () => {
    const first = await serve('127.0.0.15');
    await serve('127.0.0.16', first.port);
    const resolver = resolverOf([v4('127.0.0.15'), v4('127.0.0.16')]);

    const off = await probe(specFor(first.port, { addresses: { checkEach: false } }), { resolver });
    expect(off.addresses).toBeUndefined();
    expect(off.response?.status).toBe(200);

    const one = await probe(specFor(first.port, { addresses: { max: 1 } }), { resolver });
    expect(one.addresses?.map((a) => a.address)).toEqual(['127.0.0.15']);
  });

  it('leaves IP literals, resolve overrides and single-address names as they were: one address, no per-address requests', async () => {
    const live = await serve('127.0.0.17');
    const asked: string[] = [];
    const resolver = resolverOf([v4('127.0.0.17'), v4('127.0.0.18')], asked);

    const literal = await probe(compileMonitorSpec({ url: `http://127.0.0.17:${live.port}/`, cacheBypass: false }), { resolver });
    expect(literal.addresses).toBeUndefined();
    expect(literal.response?.status).toBe(200);

    const override = await probe(specFor(live.port, { resolve: [`svc.test:${live.port}:127.0.0.17`] }), { resolver });
    expect(override.addresses).toBeUndefined();
    expect(override.remoteAddress).toBe('127.0.0.17');
    expect(asked).toEqual([]);

    const single = await probe(specFor(live.port), { resolver: resolverOf([v4('127.0.0.17')]) });
    expect(single.addresses).toBeUndefined();
    expect(single.remoteAddress).toBe('127.0.0.17');
  });

  it('refuses a name whose every address the policy blocks, before connecting, and reports the blocked members as not checked', async () => {
    const live = await serve('127.0.0.11');
    const spec = specFor(live.port);
    const observation = await probe(spec, { allowPrivate: false, resolver: resolverOf([v4('127.0.0.11'), v4('127.0.0.12')]) });

    expect(observation.error).toMatchObject({ code: 'blocked_target', phase: 'connect' });
    expect(observation.error?.message).toContain('every address of the name is blocked');
    expect(live.seen).toHaveLength(0);
    expect(observation.addresses?.map((a) => a.outcome.error?.code)).toEqual(['blocked_target', 'blocked_target']);
    const verdict = evaluate(spec, observation);
    expect(verdict.causes.map((c) => c.code)).toEqual(['blocked_target']);
  });

  it('reports a resolver that finds nothing as dns_failure', async () => {
    const observation = await probe(compileMonitorSpec({ url: 'http://missing.test/', cacheBypass: false }), { resolver: resolverOf([]) });
    expect(observation.error).toMatchObject({ code: 'dns_failure', phase: 'dns' });
    expect(observation.addresses).toBeUndefined();
  });
});
