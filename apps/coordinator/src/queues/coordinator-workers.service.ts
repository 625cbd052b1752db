import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobRegistry, type JobDefinition, type JobHandler, type JobProcessor } from '@crosscheck/jobs';
import type { Job, Queue, WorkerOptions } from 'bullmq';
import type { RedisClient } from '../redis/redis-connections';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { REDIS_QUEUE_CONNECTION } from '../redis/redis.tokens';
import { COORDINATOR_JOBS } from './coordinator-queues';
import { WorkerWatchdog } from './worker-watchdog.service';

/** A worker to open: which queue, where, how many jobs at once. */
export interface WorkerSpec {
  queue: string;
  /** The BullMQ prefix of the queue (`cc:c`, or `cc:r:{<region>}`). */
  prefix: string;
  /** What the worker is opened for, handed to each job's handler (a region). */
  partition?: string;
  concurrency: number;
  /** The same queue on the producer side: the watchdog reads its waiting count. */
  counts: Queue;
  /** Retention of finished jobs, for the jobs that bring none. */
  removeOnComplete?: WorkerOptions['removeOnComplete'];
  removeOnFail?: WorkerOptions['removeOnFail'];
  /** BullMQ's advanced settings: a custom backoff strategy, for the jobs whose `backoff.type` names it. */
  settings?: WorkerOptions['settings'];
  /**
   * Called after a job failed (an attempt, or for good), besides the log line every worker writes:
   * for what must follow a failure whatever caused it (a dead letter's index). Its errors are logged.
   */
  onFailed?: (job: Job, error: Error) => Promise<void>;
}

/**
 * The one way the coordinator builds BullMQ workers. Every job it consumes is declared in
 * {@link COORDINATOR_JOBS}; features set each job's handler in `onModuleInit` and open their
 * workers from `onApplicationBootstrap` on. Opening a worker, or booting, while a declared job has
 * no handler fails: the coordinator does not start. Every worker runs under the watchdog and logs
 * its errors and failed jobs the same way.
 */
@Injectable()
export class CoordinatorWorkers implements OnApplicationBootstrap {
  private readonly registry = new JobRegistry(COORDINATOR_JOBS);
  private readonly logger: Logger;

  constructor(
    @Inject(REDIS_QUEUE_CONNECTION) private readonly connection: RedisClient,
    @Inject(WorkerWatchdog) private readonly watchdog: WorkerWatchdog,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'workers' });
  }

  /** Sets the handler of a declared job (once; a second one throws). */
  handle<Payload>(definition: JobDefinition<Payload>, handler: JobHandler<Payload>): void {
    this.registry.handle(definition, handler);
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }

  /** Opens a worker under `name` (e.g. `rounds`, `results:eu-west`) and keeps it consuming. */
  open(name: string, spec: WorkerSpec): void {
    let processor: JobProcessor | undefined;
    this.watchdog.keep(name, {
      queue: spec.counts,
      inFlight: () => processor?.inFlight ?? 0,
      createWorker: () => {
        const built = this.registry.createWorker(spec.queue, {
          connection: this.connection,
          prefix: spec.prefix,
          concurrency: spec.concurrency,
          ...(spec.partition !== undefined ? { partition: spec.partition } : {}),
          ...(spec.removeOnComplete !== undefined ? { removeOnComplete: spec.removeOnComplete } : {}),
          ...(spec.removeOnFail !== undefined ? { removeOnFail: spec.removeOnFail } : {}),
          ...(spec.settings !== undefined ? { settings: spec.settings } : {}),
        });
        processor = built.processor;
        const log = this.logger.child({ worker: name });
        built.worker.on('error', (error: Error) =>
          // Connection errors repeat on every reconnect attempt; the Redis watcher reports the outage once.
          isRedisUnavailable(error) ? log.debug({ err: error }, 'worker error') : log.error({ err: error }, 'worker error'),
        );
        built.worker.on('failed', (job: Job | undefined, error: Error) => {
          log.warn({ err: error, jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade }, 'job failed');
          if (job && spec.onFailed) spec.onFailed(job, error).catch((hookError: unknown) => log.error({ err: hookError, jobId: job.id }, 'failed-job hook failed'));
        });
        return built.worker;
      },
    });
  }

  /** Closes the worker under `name`, waiting for its jobs in flight. */
  async close(name: string): Promise<void> {
    await this.watchdog.release(name);
  }
}
