import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/**
 * `/health` is public, but says only ok or degraded to whoever asks; its details (Redis, queues,
 * workers, agents) need a token of any scope. A coordinator on its own Redis, made degraded by a
 * monitor in a region no agent serves.
 */
describe('/health: the status for anyone, the details for a token', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;
  const blind = randomRegion('health-blind');

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
  });

  afterAll(async () => {
    await coordinator.close();
    await redis.destroy();
  });

  async function tokenOf(scope: string): Promise<string> {
    const response = await coordinator.request('/v1/tokens', { method: 'POST', json: { name: `health ${scope}`, scope } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { token: string }).token;
  }

  const health = (authorization?: string) => fetch(`${coordinator.baseUrl}/health`, { headers: authorization ? { authorization } : {} });

  it('without a token: only {"status":"ok"}, no-store', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('{"status":"ok"}');
  });

  it('with a token of any scope: the details', async () => {
    for (const token of [await tokenOf('read'), await tokenOf('write'), await tokenOf('admin'), coordinator.token]) {
      const response = await health(`Bearer ${token}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({
        status: 'ok',
        reasons: [],
        redis: { ok: true, latencyMs: expect.any(Number), maxmemoryPolicy: expect.any(String) },
        queues: expect.objectContaining({ rounds: expect.any(Object), roundDeadlines: expect.any(Object) }),
        workers: expect.any(Object),
        agents: { blindRegions: [], regions: {} },
      });
    }
  });

  it('a wrong token is not refused, and is shown nothing more', async () => {
    const response = await health('Bearer cct_not-a-real-token-at-all');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"ok"}');
  });

  it('degraded: 503 with only {"status":"degraded"} without a token, the reasons with one', async () => {
    const created = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'blind', regions: [blind], intervalSeconds: 3_600, url: 'https://example.test/' },
    });
    expect(created.status).toBe(201);
    const anonymous = await health();
    expect(anonymous.status).toBe(503);
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    expect(await anonymous.text()).toBe('{"status":"degraded"}');

    const detailed = await health(`Bearer ${await tokenOf('read')}`);
    expect(detailed.status).toBe(503);
    const report = (await detailed.json()) as { status: string; reasons: string[]; agents: { blindRegions: string[] } };
    expect(report.status).toBe('degraded');
    expect(report.agents.blindRegions).toEqual([blind]);
    expect(report.reasons.join('\n')).toContain(blind);
  });
});
