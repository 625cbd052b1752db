import { RESULT_BATCH_JOB_NAME, type CheckJob, type ResultBatch } from '@crosscheck/contract';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Monitor } from '../monitors/monitor';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { eventually, FakeRegionAgent, fakeResult } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import type { BatchIntakeOutcome } from './result-intake.processor';

/**
 * Result batches (contract v2): each result of a `results` job is taken as a job of its own. On a
 * private Redis (AOF, fsync always), so that it can be restarted under the coordinator.
 */
describe('result intake of batches', () => {
  let redisServer: PrivateRedis;
  let coordinator: TestCoordinator;
  let agent: FakeRegionAgent;
  let redis: Redis;
  const region = randomRegion('batch');
  const monitors: Monitor[] = [];

  beforeAll(async () => {
    redisServer = new PrivateRedis(await freePort());
    await redisServer.start();
    coordinator = await startTestCoordinator({ redisUrl: redisServer.url });
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    agent = new FakeRegionAgent(region, 'fake-batch', redisServer.url).start({ answer: false });
    for (let i = 0; i < 4; i++) {
      const response = await coordinator.request('/v1/monitors', {
        method: 'POST',
        json: { name: `batch ${i}`, regions: [region], intervalSeconds: 3_600, url: 'https://example.test/health' },
      });
      expect(response.status).toBe(201);
      monitors.push((await response.json()) as Monitor);
    }
  });

  afterAll(async () => {
    await redisServer.start().catch(() => undefined);
    for (const monitor of monitors) await coordinator.request(`/v1/monitors/${monitor.id}`, { method: 'DELETE' });
    await coordinator.close();
    await agent.close();
    await redis.quit();
    await redisServer.destroy();
  });

  /** The first check job of each monitor. */
  async function checks(): Promise<CheckJob[]> {
    return Promise.all(
      monitors.map((monitor) => eventually(async () => agent.checks.find((job) => job.data.monitorId === monitor.id)?.data, 10_000, `a check of ${monitor.id}`)),
    );
  }

  async function finished(job: Job, timeoutMs = 10_000): Promise<BatchIntakeOutcome> {
    const done = await eventually(async () => {
      const current = await agent.resultQueue.getJob(job.id ?? '');
      return current?.finishedOn !== undefined ? current : undefined;
    }, timeoutMs, `batch job ${job.id} to finish`);
    if (done.failedReason) throw new Error(done.failedReason);
    return done.returnvalue as unknown as BatchIntakeOutcome;
  }

  async function historyLength(monitorId: string): Promise<number> {
    return redis.xlen(coordinatorKeys.monitorHistory(monitorId));
  }

  it('stores every well-formed result of a batch, refusing alone one that is malformed and one of another region', async () => {
    const [a, b, c] = await checks();
    const malformed = { ...fakeResult(c!, agent.agentId), verdict: { status: 'sideways' } };
    const foreign = fakeResult({ ...c!, region: 'elsewhere' }, agent.agentId);
    const batch: ResultBatch = { v: 2, results: [fakeResult(a!, agent.agentId), malformed, fakeResult(b!, agent.agentId), foreign] };
    const outcome = await finished(await agent.resultQueue.add(RESULT_BATCH_JOB_NAME, batch as never));

    expect(outcome.outcomes).toEqual(['stored_and_finalized', 'malformed', 'stored_and_finalized', 'wrong_region']);
    expect(outcome.refused.map((refusal) => refusal.index)).toEqual([1, 3]);
    expect(outcome.refused[0]?.problem).toMatch(/verdict\.status/);
    expect(await historyLength(a!.monitorId)).toBe(1);
    expect(await historyLength(b!.monitorId)).toBe(1);
    expect(await historyLength(c!.monitorId)).toBe(0);

    // The same batch again (a retry after a lost reply): nothing is stored twice.
    const again = await finished(await agent.resultQueue.add(RESULT_BATCH_JOB_NAME, batch as never));
    expect(again.outcomes).toEqual(['duplicate', 'malformed', 'duplicate', 'wrong_region']);
    expect(await historyLength(a!.monitorId)).toBe(1);
  });

  it('fails a batch whose envelope is malformed for good, without retrying it', async () => {
    const job = await agent.resultQueue.add(RESULT_BATCH_JOB_NAME, { v: 2, results: [] } as never, { attempts: 3 });
    await expect(finished(job)).rejects.toThrow(/malformed results job.*results/);
    expect((await agent.resultQueue.getJob(job.id ?? ''))?.attemptsMade).toBe(1);
  });

  it('loses no result of a batch when Redis restarts around it', async () => {
    const [, , c, d] = await checks();
    await agent.checkQueue.pause();
    const batch: ResultBatch = { v: 2, results: [fakeResult(c!, agent.agentId), fakeResult(d!, agent.agentId)] };
    const job = await agent.resultQueue.add(RESULT_BATCH_JOB_NAME, batch as never, { attempts: 5, backoff: { type: 'exponential', delay: 200 } });
    await redisServer.stop();
    await redisServer.start();
    const outcome = await finished(job, 30_000);
    expect(outcome.outcomes.every((kind) => kind === 'stored_and_finalized' || kind === 'duplicate')).toBe(true);
    expect(await historyLength(c!.monitorId)).toBe(1);
    expect(await historyLength(d!.monitorId)).toBe(1);
  });
});
