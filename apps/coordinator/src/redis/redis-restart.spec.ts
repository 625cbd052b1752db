import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorStatus } from '../results/monitor-status';
import { eventually, FakeRegionAgent } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** A coordinator on its own redis-server, which is stopped and started again under it. */
describe('redis restart', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;
  let agent: FakeRegionAgent;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
    agent = new FakeRegionAgent(randomRegion('restart'), 'fake-restart', redis.url).start();
  });

  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await coordinator.close();
    await agent.close();
    await redis.destroy();
  });

  async function latestRound(id: string): Promise<MonitorStatus['round']> {
    const response = await coordinator.request(`/v1/monitors/${id}/status`);
    return response.status === 200 ? ((await response.json()) as MonitorStatus).round : null;
  }

  it('answers 503 quickly while Redis is away and resumes rounds when it is back, without a restart', async () => {
    const created = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'restart', regions: [agent.region], intervalSeconds: 1, url: 'https://example.test/', timeoutMs: 500 },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await eventually(() => latestRound(id).then((round) => round ?? undefined), 5_000, 'a first round');

    await redis.stop();
    let started = Date.now();
    // With the token: the details say why (without one, /health says only "degraded").
    const health = await coordinator.request('/health');
    const healthMs = Date.now() - started;
    expect(health.status).toBe(503);
    expect(((await health.json()) as { redis: { ok: boolean } }).redis.ok).toBe(false);
    expect(healthMs).toBeLessThan(1_500);

    started = Date.now();
    const refused = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'while down', regions: [agent.region], intervalSeconds: 60, url: 'https://example.test/' },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(Date.now() - started).toBeLessThan(6_000);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const restartedAt = Date.now();
    await redis.start();

    const resumed = await eventually(
      async () => {
        const round = await latestRound(id);
        return round && Date.parse(round.scheduledAt) > restartedAt ? round : undefined;
      },
      12_000,
      'a round scheduled after the restart',
    );
    expect(resumed?.finalizedBy).toBe('all_answered');
    expect((await fetch(`${coordinator.baseUrl}/health`)).status).toBe(200);
    await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
  }, 30_000);
});
