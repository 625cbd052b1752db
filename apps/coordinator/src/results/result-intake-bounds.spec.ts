import { checkJobIdFor, RESULT_JOB_NAME, RESULT_WIRE_LIMITS } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Monitor } from '../monitors/monitor';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { eventually, FakeRegionAgent, fakeResult } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/**
 * The coordinator bounds what it accepts from an agent: a result over the contract's bounds is
 * malformed, never stored. On a private Redis: every coordinator on a shared one consumes the
 * results of every known region, whatever build it runs.
 */
describe('result intake refuses results over the wire limits', () => {
  let redisServer: PrivateRedis;
  let coordinator: TestCoordinator;
  let agent: FakeRegionAgent;
  let redis: Redis;
  const region = randomRegion('bounds');
  let monitor: Monitor;

  beforeAll(async () => {
    redisServer = new PrivateRedis(await freePort());
    await redisServer.start();
    coordinator = await startTestCoordinator({ redisUrl: redisServer.url });
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    agent = new FakeRegionAgent(region, 'fake-bounds', redisServer.url).start({ answer: false });
    const response = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'bounds', regions: [region], intervalSeconds: 3_600, url: 'https://example.test/health' },
    });
    expect(response.status).toBe(201);
    monitor = (await response.json()) as Monitor;
  });

  afterAll(async () => {
    await coordinator.request(`/v1/monitors/${monitor.id}`, { method: 'DELETE' });
    await coordinator.close();
    await agent.close();
    await redis.quit();
    await redisServer.destroy();
  });

  it('fails a result with a 100 KB cause message for good and stores nothing of it', async () => {
    const check = await eventually(async () => agent.checks[0], 10_000, 'the first check job');
    const oversized = fakeResult(check.data, agent.agentId, 'down');
    oversized.verdict.causes = [{ code: 'status_mismatch', severity: 'down', message: 'm'.repeat(RESULT_WIRE_LIMITS.text * 12), evidence: {} }];
    const jobId = checkJobIdFor(check.data.roundId, region);
    await agent.resultQueue.add(RESULT_JOB_NAME, oversized, { jobId });
    await expect(agent.resultOf(jobId, 10_000)).rejects.toThrow(/malformed result.*verdict\.causes\.0\.message/);
    expect(await redis.xlen(coordinatorKeys.monitorHistory(monitor.id))).toBe(0);
    expect(await redis.hexists(coordinatorKeys.round(check.data.roundId), `r:${region}`)).toBe(0);
  });
});
