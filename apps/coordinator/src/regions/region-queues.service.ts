import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CHECK_JOB_NAME, CHECK_QUEUE, checkJobIdFor, regionPrefix, RESULT_QUEUE, type CheckJob } from '@crosscheck/contract';
import { Queue, type JobState } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { REDIS_QUEUE_CONNECTION } from '../redis/redis.tokens';
import { CheckDeadlines, type DispatchedCheck } from './check-deadlines.repository';
import { queueCounts, type QueueCounts } from './queue-counts';
import { RegionLifecycle } from './region-lifecycle.service';

/** Check jobs of completed rounds are kept an hour: long enough for their ids to dedupe any retried fan-out. */
const CHECK_JOB_RETENTION = {
  removeOnComplete: { age: 3_600, count: 5_000 },
  removeOnFail: { age: 24 * 3_600, count: 5_000 },
} as const;

/** States of a check no agent has taken yet: those are withdrawn. Taken, finished or failed ones are left alone. */
const UNTAKEN: ReadonlySet<JobState | 'unknown'> = new Set<JobState | 'unknown'>(['waiting', 'delayed', 'prioritized', 'waiting-children']);

interface RegionQueuePair {
  checks: Queue<CheckJob>;
  results: Queue;
}

/**
 * Producers for the regions' queues (`checks` and `results`, prefix `cc:r:{<region>}`), over the
 * shared queue connection (a queue object costs no connection of its own). An open region's
 * queues are kept and closed with the region; a region not open gets queues for the one call.
 * Every check job dispatched is recorded with its deadline (`CheckDeadlines`), so that it can be
 * withdrawn by its id: when its deadline passes untaken, or when its monitor is deleted.
 */
@Injectable()
export class RegionQueues implements OnModuleInit, OnApplicationShutdown {
  private readonly queues = new Map<string, RegionQueuePair>();
  private readonly logger: Logger;

  constructor(
    @Inject(REDIS_QUEUE_CONNECTION) private readonly connection: RedisClient,
    @Inject(RegionLifecycle) private readonly lifecycle: RegionLifecycle,
    @Inject(CheckDeadlines) private readonly deadlines: CheckDeadlines,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'region-queues' });
  }

  onModuleInit(): void {
    this.lifecycle.listen({ closed: (region) => this.release(region) });
  }

  /**
   * Records the checks of one round with their deadline, then adds each to its region's queue
   * with the id derived from round and region, so that a second add of the same check (a retried
   * or replicated fan-out) is a no-op.
   */
  async dispatch(jobs: readonly CheckJob[]): Promise<void> {
    const [first] = jobs;
    if (!first) return;
    await this.deadlines.track(
      first.monitorId,
      first.deadline,
      jobs.map((job) => ({ region: job.region, jobId: checkJobIdFor(job.roundId, job.region) })),
      this.clock.now(),
    );
    await Promise.all(
      jobs.map((job) =>
        this.using(job.region, ({ checks }) =>
          checks.add(CHECK_JOB_NAME, job, {
            jobId: checkJobIdFor(job.roundId, job.region),
            // An agent retries infrastructure failures; past the deadline it drops the job unprobed.
            attempts: 3,
            backoff: { type: 'fixed', delay: 1_000 },
            ...CHECK_JOB_RETENTION,
          }),
        ),
      ),
    );
  }

  /** Removes these checks from their queues unless an agent has taken them; returns how many went. */
  async withdraw(checks: readonly DispatchedCheck[]): Promise<number> {
    const byRegion = new Map<string, string[]>();
    for (const check of checks) byRegion.set(check.region, [...(byRegion.get(check.region) ?? []), check.jobId]);
    let removed = 0;
    for (const [region, jobIds] of byRegion) {
      removed += await this.using(region, async ({ checks: queue }) => {
        let count = 0;
        for (const jobId of jobIds) {
          if (!UNTAKEN.has(await queue.getJobState(jobId))) continue;
          // 0 when an agent took it meanwhile (locked): it is the agent's now.
          count += await queue.remove(jobId);
        }
        return count;
      });
    }
    return removed;
  }

  /**
   * Withdraws the checks of a deleted monitor that no agent has taken, found by the ids derived when
   * they were dispatched; returns how many went.
   */
  async withdrawMonitor(monitorId: string): Promise<number> {
    const checks = await this.deadlines.ofMonitor(monitorId);
    const removed = await this.withdraw(checks);
    await this.deadlines.forgetMonitor(monitorId, checks);
    return removed;
  }

  /** Counts of the region's check and result queues. */
  async counts(region: string): Promise<{ checks: QueueCounts; results: QueueCounts }> {
    return this.using(region, async ({ checks, results }) => {
      const [checkCounts, resultCounts] = await Promise.all([queueCounts(checks), queueCounts(results)]);
      return { checks: checkCounts, results: resultCounts };
    });
  }

  /** The results queue of an open region (the watchdog reads its waiting count). */
  resultQueue(region: string): Queue {
    return this.opened(region).results;
  }

  async onApplicationShutdown(): Promise<void> {
    const pairs = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(pairs.flatMap(({ checks, results }) => [checks.close(), results.close()]));
  }

  /** Closes the region's queues (it left the registry). */
  private async release(region: string): Promise<void> {
    const pair = this.queues.get(region);
    if (!pair) return;
    this.queues.delete(region);
    await Promise.all([pair.checks.close(), pair.results.close()]);
  }

  /** Runs `use` on the region's queues: kept ones when the region is open, else ones made for this call. */
  private async using<T>(region: string, use: (pair: RegionQueuePair) => Promise<T>): Promise<T> {
    if (this.lifecycle.isOpen(region)) return use(this.opened(region));
    const pair = this.create(region);
    try {
      return await use(pair);
    } finally {
      await Promise.all([pair.checks.close(), pair.results.close()]);
    }
  }

  private opened(region: string): RegionQueuePair {
    let pair = this.queues.get(region);
    if (!pair) {
      pair = this.create(region);
      this.queues.set(region, pair);
    }
    return pair;
  }

  private create(region: string): RegionQueuePair {
    const open = <T>(name: string): Queue<T> => {
      const queue = new Queue<T>(name, { connection: this.connection, prefix: regionPrefix(region) });
      queue.on('error', (error: Error) => this.logger.debug({ err: error, region, queue: name }, 'region queue error'));
      return queue;
    };
    return { checks: open<CheckJob>(CHECK_QUEUE), results: open(RESULT_QUEUE) };
  }
}
