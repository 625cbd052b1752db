import { CHECK_QUEUE, regionPrefix } from '@crosscheck/contract';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger';
import { RegionQueues, TEST_REDIS_URL, uniqueRegion, waitFor } from '../testing/agent-test-support';
import { WorkerWatchdog } from './worker-watchdog';

/**
 * The watchdog against real BullMQ workers made to fail the two ways seen in the field: a main
 * loop that ended, and a worker that runs but takes nothing from the queue.
 */
describe('WorkerWatchdog', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  function setUp() {
    const region = uniqueRegion();
    const queues = new RegionQueues(region);
    cleanups.push(() => queues.cleanUp());
    // Where the "useless" workers listen; its keys are removed as well.
    const elsewhere = new RegionQueues(`${region}-elsewhere`);
    cleanups.push(() => elsewhere.cleanUp());
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    cleanups.push(() => connection.quit());
    const processed: string[] = [];
    const workerOn = (prefix: string) =>
      new Worker(
        CHECK_QUEUE,
        async (job) => {
          processed.push(job.id ?? '?');
        },
        { connection, prefix, autorun: false },
      );
    return { region, queues, processed, workerOn };
  }

  function watch(watchdog: WorkerWatchdog): WorkerWatchdog {
    watchdog.start();
    cleanups.push(() => watchdog.stop());
    return watchdog;
  }

  it('replaces a worker whose main loop has ended', async () => {
    const { region, queues, processed, workerOn } = setUp();
    const watchdog = watch(
      new WorkerWatchdog({
        createWorker: () => workerOn(regionPrefix(region)),
        queue: queues.checks,
        inFlight: () => 0,
        logger: silentLogger(),
        intervalMs: 50,
      }),
    );
    await queues.checks.add('check', {}, { jobId: 'before' });
    await waitFor(async () => (processed.includes('before') ? true : undefined));

    const broken = watchdog.worker!;
    await broken.pause();
    expect(broken.isRunning()).toBe(false);

    await queues.checks.add('check', {}, { jobId: 'after' });
    await waitFor(async () => (processed.includes('after') ? true : undefined), 3_000, 'the replacement to consume');
    expect(watchdog.recoveries).toBe(1);
    expect(watchdog.worker).not.toBe(broken);
  });

  it('replaces a running worker that takes nothing while jobs wait', async () => {
    const { region, queues, processed, workerOn } = setUp();
    let built = 0;
    const watchdog = watch(
      new WorkerWatchdog({
        // The first worker listens where no job ever arrives: running, healthy-looking, useless.
        createWorker: () => workerOn(built++ === 0 ? regionPrefix(`${region}-elsewhere`) : regionPrefix(region)),
        queue: queues.checks,
        inFlight: () => 0,
        logger: silentLogger(),
        intervalMs: 50,
        stuckAfterMs: 400,
      }),
    );
    const first = watchdog.worker!;
    await queues.checks.add('check', {}, { jobId: 'waiting' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processed).toEqual([]);
    expect(watchdog.recoveries).toBe(0);

    await waitFor(async () => (processed.includes('waiting') ? true : undefined), 3_000, 'the replacement to consume');
    expect(watchdog.recoveries).toBe(1);
    expect(watchdog.worker).not.toBe(first);
    expect(first.isRunning()).toBe(false);
  });

  it('leaves alone a worker that is merely busy, or a queue that is paused', async () => {
    const { region, queues, workerOn } = setUp();
    let inFlight = 1;
    const watchdog = watch(
      new WorkerWatchdog({
        createWorker: () => workerOn(regionPrefix(`${region}-elsewhere`)),
        queue: queues.checks,
        inFlight: () => inFlight,
        logger: silentLogger(),
        intervalMs: 50,
        stuckAfterMs: 200,
      }),
    );
    await queues.checks.add('check', {}, { jobId: 'waiting' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(watchdog.recoveries).toBe(0);

    inFlight = 0;
    await queues.checks.pause();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(watchdog.recoveries).toBe(0);
  });
});
