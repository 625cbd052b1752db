import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

const REGIONS = 32;

/**
 * Regions come and go with their monitors, and so do the coordinator's consumers and connections:
 * on a redis-server of its own (so that the count is this coordinator's alone), 32 regions open
 * at most one connection each, and deleting their monitors brings `CLIENT LIST` back to where it
 * was before.
 */
describe('region connections', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let coordinator: TestCoordinator;

  /** Clients connected, this test's own admin connection left out. */
  async function clients(): Promise<number> {
    const list = (await admin.call('CLIENT', 'LIST')) as string;
    return list.split('\n').filter((line) => line.trim() !== '').length - 1;
  }

  /** The count once it has held still for a moment (connections open lazily after boot). */
  async function settledClients(): Promise<number> {
    let last = await clients();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const now = await clients();
      if (now === last) return now;
      last = now;
    }
  }

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: null });
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
  });

  afterAll(async () => {
    await coordinator?.close();
    await admin?.quit();
    await redis?.destroy();
  });

  it('return to the baseline once the regions are gone', async () => {
    const baseline = await settledClients();

    const regions = Array.from({ length: REGIONS }, (_, i) => randomRegion(`conn${i}`));
    const ids: string[] = [];
    for (const region of regions) {
      const response = await coordinator.request('/v1/monitors', {
        method: 'POST',
        json: { name: `conn ${region}`, regions: [region], intervalSeconds: 3_600, url: 'https://example.test/health', timeoutMs: 1_000 },
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const peak = await settledClients();

    for (const id of ids) expect((await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' })).status).toBe(204);
    const after = await eventually(
      async () => {
        const now = await clients();
        return now <= baseline ? now : undefined;
      },
      20_000,
      `connections back to the baseline of ${baseline}`,
    ).catch(async (error: unknown) => {
      console.log(`connected clients with ${REGIONS} regions: baseline ${baseline}, peak ${peak}, after ${await clients()} (not back)`);
      throw error;
    });
    console.log(`connected clients with ${REGIONS} regions: baseline ${baseline}, peak ${peak}, after ${after}`);

    // One consumer per region at most, never a connection per round or per monitor.
    expect(peak - baseline).toBeLessThanOrEqual(REGIONS);
    expect(after).toBe(baseline);
  }, 60_000);
});
