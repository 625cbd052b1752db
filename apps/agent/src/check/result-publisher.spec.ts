import { regionPrefix, RESULT_BATCH_JOB_NAME, RESULT_BATCH_MAX, RESULT_QUEUE, type CheckResult } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import { createRedisConnection } from '../redis/redis-connection';
import { checkJob, RegionQueues, TEST_REDIS_URL, uniqueRegion } from '../testing/agent-test-support';
import { ResultPublisher } from './result-publisher';

function resultFor(region: string, v: 1 | 2 = 2): CheckResult {
  const job = checkJob(region, 'http://127.0.0.1:9/');
  return {
    v,
    monitorId: job.monitorId,
    roundId: job.roundId,
    region,
    agentId: 'spec-agent',
    agentVersion: '0.0.0-spec',
    startedAt: job.scheduledAt,
    finishedAt: job.scheduledAt + 5,
    verdict: {
      status: 'up',
      causes: [],
      expectations: [],
      evidence: { httpStatus: 200, finalUrl: 'http://127.0.0.1:9/', totalMs: 5, redirects: 0, cache: { hit: false, signals: [] } },
    },
    observation: { url: 'http://127.0.0.1:9/', finalUrl: 'http://127.0.0.1:9/', timings: { total: 5 }, headers: {} },
  };
}

describe('ResultPublisher (real Redis)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  function queuesFor(): RegionQueues {
    const queues = new RegionQueues(uniqueRegion());
    cleanups.push(() => queues.cleanUp());
    return queues;
  }

  it('sends v2 results added together as one batch job, and resolves each add once it is stored', async () => {
    const queues = queuesFor();
    const publisher = new ResultPublisher(queues.results);
    const results = Array.from({ length: 5 }, () => resultFor(queues.region));
    await Promise.all(results.map((result, i) => publisher.add(`id-${i}`, result)));
    const jobs = await queues.results.getJobs(['wait']);
    expect(jobs.map((job) => job.name)).toEqual([RESULT_BATCH_JOB_NAME]);
    expect((await queues.delivered()).map(({ result }) => result)).toEqual(results);
  });

  it(`starts a new batch past ${RESULT_BATCH_MAX} results`, async () => {
    const queues = queuesFor();
    const publisher = new ResultPublisher(queues.results);
    const results = Array.from({ length: RESULT_BATCH_MAX + 1 }, () => resultFor(queues.region));
    await Promise.all(results.map((result, i) => publisher.add(`id-${i}`, result)));
    const sizes = (await queues.results.getJobs(['wait'])).map((job) => (job.data as { results: unknown[] }).results.length).sort((a, b) => a - b);
    expect(sizes).toEqual([1, RESULT_BATCH_MAX]);
  });

  it('sends a v1 result as one result job under its own id, once', async () => {
    const queues = queuesFor();
    const publisher = new ResultPublisher(queues.results);
    const result = resultFor(queues.region, 1);
    await publisher.add('round-1--eu', result);
    await publisher.add('round-1--eu', result);
    expect(await publisher.has('round-1--eu')).toBe(true);
    expect(await queues.results.getJobCountByTypes('wait')).toBe(1);
    expect((await queues.results.getJob('round-1--eu'))?.data).toEqual(result);
  });

  it('rejects every add of a batch Redis refused, so each check retries on its own', async () => {
    const queues = queuesFor();
    // The agent's own kind of connection (no offline queue), cut as Redis would cut it.
    const producer = createRedisConnection({ mode: 'single', url: TEST_REDIS_URL }, 'producer', silentLogger());
    cleanups.push(async () => producer.disconnect());
    const queue = new Queue(RESULT_QUEUE, { connection: producer, prefix: regionPrefix(queues.region) });
    cleanups.push(() => queue.close());
    await queue.waitUntilReady();
    const publisher = new ResultPublisher(queue);
    producer.disconnect();
    const adds = [resultFor(queues.region), resultFor(queues.region)].map((result, i) => publisher.add(`id-${i}`, result));
    for (const add of adds) await expect(add).rejects.toThrow();
  });
});
