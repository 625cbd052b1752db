import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** `/metrics` on a coordinator whose own redis-server stops under it: an honest 503, never stale values or a hang. */
describe('GET /metrics while Redis is away', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
  });

  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await coordinator.close();
    await redis.destroy();
  });

  it('answers 503 with Retry-After within the scrape timeout, and metrics again once Redis is back', async () => {
    expect((await fetch(`${coordinator.baseUrl}/metrics`)).status).toBe(200);
    await redis.stop();
    const started = Date.now();
    const away = await fetch(`${coordinator.baseUrl}/metrics`);
    expect(away.status).toBe(503);
    expect(away.headers.get('retry-after')).toBe('5');
    expect(away.headers.get('content-type')).toContain('application/problem+json');
    await away.body?.cancel();
    // Within the coordinator's 5 s scrape limit (and Prometheus' default 10 s scrape timeout).
    expect(Date.now() - started).toBeLessThan(9_000);

    await redis.start();
    await eventually(async () => ((await fetch(`${coordinator.baseUrl}/metrics`)).status === 200 ? true : undefined), 15_000, '/metrics to answer again');
  });
});
