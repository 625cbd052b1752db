import { Queue, Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { destroy, testConnection, uniquePrefix, waitFor } from './testing/test-queues';
import { WorkerWatchdog, type WatchdogLogger } from './worker-watchdog';

const silent: WatchdogLogger = { warn: () => undefined, error: () => undefined };

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
    const prefix = uniquePrefix();
    const queue = new Queue('work', { connection: testConnection, prefix });
    cleanups.push(() => destroy(queue));
    // Where the "useless" workers listen; its keys are removed as well.
    const elsewhere = new Queue('work', { connection: testConnection, prefix: `${prefix}-elsewhere` });
    cleanups.push(() => destroy(elsewhere));
    const processed: string[] = [];
    const workerOn = (on: string) =>
      new Worker(
        'work',
        async (job) => {
          processed.push(job.id ?? '?');
        },
        { connection: testConnection, prefix: on, autorun: false },
      );
    return { prefix, queue, processed, workerOn };
  }

  function started(watchdog: WorkerWatchdog): WorkerWatchdog {
    watchdog.start();
    cleanups.push(() => watchdog.stop());
    return watchdog;
  }

  it('replaces a worker whose main loop has ended', async () => {
    const { prefix, queue, processed, workerOn } = setUp();
    const watchdog = started(new WorkerWatchdog({ logger: silent, intervalMs: 50 }));
    watchdog.watch('work', { createWorker: () => workerOn(prefix), queue, inFlight: () => 0 });
    await queue.add('job', {}, { jobId: 'before' });
    await waitFor(async () => (processed.includes('before') ? true : undefined));

    const broken = watchdog.worker('work')!;
    await broken.pause();
    expect(broken.isRunning()).toBe(false);

    await queue.add('job', {}, { jobId: 'after' });
    await waitFor(async () => (processed.includes('after') ? true : undefined), 3_000, 'the replacement to consume');
    expect(watchdog.recoveries('work')).toBe(1);
    expect(watchdog.worker('work')).not.toBe(broken);
  });

  it('replaces a running worker that takes nothing while jobs wait', async () => {
    const { prefix, queue, processed, workerOn } = setUp();
    let built = 0;
    const watchdog = started(new WorkerWatchdog({ logger: silent, intervalMs: 50, stuckAfterMs: 400 }));
    // The first worker listens where no job ever arrives: running, healthy-looking, useless.
    watchdog.watch('work', { createWorker: () => workerOn(built++ === 0 ? `${prefix}-elsewhere` : prefix), queue, inFlight: () => 0 });
    const first = watchdog.worker('work')!;
    await queue.add('job', {}, { jobId: 'waiting' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processed).toEqual([]);
    expect(watchdog.recoveries()).toBe(0);

    await waitFor(async () => (processed.includes('waiting') ? true : undefined), 3_000, 'the replacement to consume');
    expect(watchdog.recoveries('work')).toBe(1);
    expect(watchdog.worker('work')).not.toBe(first);
    expect(first.isRunning()).toBe(false);
  });

  it('replaces a running worker that leaves a delayed job overdue (a scheduler\'s next run), as after a cluster failover', async () => {
    const { prefix, queue, processed, workerOn } = setUp();
    let built = 0;
    const watchdog = started(new WorkerWatchdog({ logger: silent, intervalMs: 50, stuckAfterMs: 400 }));
    watchdog.watch('work', { createWorker: () => workerOn(built++ === 0 ? `${prefix}-elsewhere` : prefix), queue, inFlight: () => 0 });
    const first = watchdog.worker('work')!;
    await queue.add('job', {}, { jobId: 'scheduled', delay: 100 });
    // Due in 100 ms, overdue 1 s later: until then nothing is wrong.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(processed).toEqual([]);
    expect(watchdog.recoveries()).toBe(0);
    expect(await queue.getWaitingCount()).toBe(0);

    await waitFor(async () => (processed.includes('scheduled') ? true : undefined), 5_000, 'the replacement to promote and consume the delayed job');
    expect(watchdog.recoveries('work')).toBe(1);
    expect(watchdog.worker('work')).not.toBe(first);
  });

  it('leaves alone a worker that is merely busy, or a queue that is paused', async () => {
    const { prefix, queue, workerOn } = setUp();
    let inFlight = 1;
    const watchdog = started(new WorkerWatchdog({ logger: silent, intervalMs: 50, stuckAfterMs: 200 }));
    watchdog.watch('work', { createWorker: () => workerOn(`${prefix}-elsewhere`), queue, inFlight: () => inFlight });
    await queue.add('job', {}, { jobId: 'waiting' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(watchdog.recoveries()).toBe(0);

    inFlight = 0;
    await queue.pause();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(watchdog.recoveries()).toBe(0);
  });

  it('lets released workers go', async () => {
    const { prefix, queue, workerOn } = setUp();
    const watchdog = started(new WorkerWatchdog({ logger: silent, intervalMs: 50 }));
    watchdog.watch('kept', { createWorker: () => workerOn(prefix), queue, inFlight: () => 0 });
    const other = watchdog.watch('other', { createWorker: () => workerOn(`${prefix}-elsewhere`), queue, inFlight: () => 0 });
    expect(Object.keys(watchdog.states()).sort()).toEqual(['kept', 'other']);
    await watchdog.release('other');
    expect(other.closing).toBeDefined();
    expect(Object.keys(watchdog.states())).toEqual(['kept']);
  });

  it('starts no worker once stopped: it would outlive the shutdown', async () => {
    const { prefix, queue, workerOn } = setUp();
    const watchdog = new WorkerWatchdog({ logger: silent });
    await watchdog.stop();
    let built = 0;
    expect(() => watchdog.watch('late', { createWorker: () => (built++, workerOn(prefix)), queue, inFlight: () => 0 })).toThrow(/stopped/);
    expect(built).toBe(0);
  });
});
