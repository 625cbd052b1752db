import { CHECK_QUEUE, regionPrefix, type CheckJob } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/**
 * Check jobs of a region no agent serves: they carry their deadline and never outlive it, whatever
 * the agents do (here: nothing at all), and a deleted monitor takes its waiting checks with it.
 * On a redis-server of its own: coordinators of other suites would start these monitors' rounds too.
 */
describe('check jobs of a region without agents', () => {
  let server: PrivateRedis;
  let coordinator: TestCoordinator;
  let redis: Redis;
  const region = randomRegion('noagent');
  let checks: Queue<CheckJob>;
  const monitorIds: string[] = [];

  async function createMonitor(overrides: Record<string, unknown>): Promise<string> {
    const response = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'no agent here', regions: [region], intervalSeconds: 1, url: 'https://example.test/health', timeoutMs: 500, ...overrides },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    monitorIds.push(id);
    return id;
  }

  /** Checks of the monitor still queued for an agent (waiting, or delayed for a retry). */
  async function queuedOf(monitorId: string): Promise<CheckJob[]> {
    const jobs = await checks.getJobs(['waiting', 'delayed', 'prioritized']);
    return jobs.filter((job) => job?.data.monitorId === monitorId).map((job) => job.data);
  }

  async function finalizedRounds(monitorId: string): Promise<number> {
    const response = await coordinator.request(`/v1/monitors/${monitorId}/results?limit=1000`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: unknown[] }).items.length;
  }

  beforeAll(async () => {
    server = new PrivateRedis(await freePort());
    await server.start();
    coordinator = await startTestCoordinator({ redisUrl: server.url, roundGraceMs: 500, checkSweepIntervalMs: 250 });
    redis = new Redis(server.url, { maxRetriesPerRequest: null });
    checks = new Queue<CheckJob>(CHECK_QUEUE, { connection: redis, prefix: regionPrefix(region) });
  });

  afterAll(async () => {
    for (const id of monitorIds) await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    await coordinator?.close();
    await checks?.close();
    await redis?.quit();
    await server?.destroy();
  });

  it('holds at most a few rounds per monitor: checks past their deadline leave the queue', async () => {
    // A deadline one second after the scheduled time, a round every second.
    const id = await createMonitor({ timeoutMs: 500 });
    await eventually(async () => ((await finalizedRounds(id)) >= 6 ? true : undefined), 20_000, 'six rounds finalized');

    // The rounds whose deadline has not passed, and one the sweep has not reached yet.
    const queued = await eventually(
      async () => {
        const jobs = await queuedOf(id);
        return jobs.length <= 3 ? jobs : undefined;
      },
      5_000,
      'the backlog to stay within a few rounds',
    ).catch(async (error: unknown) => {
      console.log(`checks queued for a region without agents after six rounds: ${(await queuedOf(id)).length}`);
      throw error;
    });
    console.log(`checks queued for a region without agents after ${await finalizedRounds(id)} rounds: ${queued.length}`);
    const now = Date.now();
    // None of them is long past its deadline.
    for (const job of queued) expect(job.deadline).toBeGreaterThan(now - 5_000);
  });

  it('removes the waiting checks of a deleted monitor, and only those', async () => {
    // Long deadlines: nothing expires during the test, so only the deletion can remove them.
    const deleted = await createMonitor({ timeoutMs: 20_000 });
    const kept = await createMonitor({ timeoutMs: 20_000 });
    await eventually(async () => ((await queuedOf(deleted)).length >= 3 ? true : undefined), 15_000, 'three checks waiting');
    const keptBefore = (await queuedOf(kept)).length;
    expect(keptBefore).toBeGreaterThan(0);

    expect((await coordinator.request(`/v1/monitors/${deleted}`, { method: 'DELETE' })).status).toBe(204);
    monitorIds.splice(monitorIds.indexOf(deleted), 1);

    expect(await queuedOf(deleted)).toEqual([]);
    expect((await queuedOf(kept)).length).toBeGreaterThanOrEqual(keptBefore);
  });
});
