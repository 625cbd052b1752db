import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CHECK_JOB_NAME, CHECK_QUEUE, checkJobIdFor, regionPrefix, RESULT_QUEUE, type CheckJob } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { REDIS_QUEUE_CONNECTION } from '../redis/redis.tokens';
import { queueCounts, type QueueCounts } from './queue-counts';

/** Check jobs of completed rounds are kept an hour: long enough for their ids to dedupe any retried fan-out. */
const CHECK_JOB_RETENTION = {
  removeOnComplete: { age: 3_600, count: 5_000 },
  removeOnFail: { age: 24 * 3_600, count: 5_000 },
} as const;

/**
 * Producers for the regions' queues (`checks` and `results`, prefix `cc:r:<region>`), created on
 * first use and shared over the queue connection. The results queues are only read from here
 * (counts for `/health`); their workers live in the result intake.
 */
@Injectable()
export class RegionQueues implements OnApplicationShutdown {
  private readonly checks = new Map<string, Queue<CheckJob>>();
  private readonly results = new Map<string, Queue>();
  private readonly logger: Logger;

  constructor(
    @Inject(REDIS_QUEUE_CONNECTION) private readonly connection: Redis,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'region-queues' });
  }

  /**
   * Adds a check job to its region's queue with the id derived from round and region, so a
   * second add of the same check (a retried or replicated fan-out) is a no-op.
   */
  async dispatch(job: CheckJob): Promise<void> {
    await this.checkQueue(job.region).add(CHECK_JOB_NAME, job, {
      jobId: checkJobIdFor(job.roundId, job.region),
      // An agent retries infrastructure failures; past the deadline it drops the job unprobed.
      attempts: 3,
      backoff: { type: 'fixed', delay: 1_000 },
      ...CHECK_JOB_RETENTION,
    });
  }

  /** Counts of the region's check and result queues. */
  async counts(region: string): Promise<{ checks: QueueCounts; results: QueueCounts }> {
    const [checks, results] = await Promise.all([queueCounts(this.checkQueue(region)), queueCounts(this.resultQueue(region))]);
    return { checks, results };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.checks.values(), ...this.results.values()].map((queue) => queue.close()));
  }

  private checkQueue(region: string): Queue<CheckJob> {
    let queue = this.checks.get(region);
    if (!queue) {
      queue = this.open<CheckJob>(CHECK_QUEUE, region);
      this.checks.set(region, queue);
    }
    return queue;
  }

  private resultQueue(region: string): Queue {
    let queue = this.results.get(region);
    if (!queue) {
      queue = this.open(RESULT_QUEUE, region);
      this.results.set(region, queue);
    }
    return queue;
  }

  private open<T>(name: string, region: string): Queue<T> {
    const queue = new Queue<T>(name, { connection: this.connection, prefix: regionPrefix(region) });
    queue.on('error', (error: Error) => this.logger.debug({ err: error, region, queue: name }, 'region queue error'));
    return queue;
  }
}
