import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { ROUNDS_QUEUE, type RoundJobData } from '../queues/coordinator-queues';
import { WorkerWatchdog } from '../queues/worker-watchdog.service';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { RoundStarter, type RoundStart } from './round-starter.service';
import { scheduledAtOf } from './scheduled-at';

/** Consumes the `rounds` queue: each job is one monitor's scheduled moment. */
@Processor(ROUNDS_QUEUE, { concurrency: 50 })
export class RoundsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(RoundStarter) private readonly starter: RoundStarter,
    @Inject(WorkerWatchdog) private readonly watchdog: WorkerWatchdog,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    super();
    this.logger = logger.child({ component: 'rounds' });
  }

  onApplicationBootstrap(): void {
    this.watchdog.watch(ROUNDS_QUEUE, this.worker);
  }

  async process(job: Job<RoundJobData>): Promise<RoundStart> {
    const scheduledAt = scheduledAtOf(job);
    const monitorId = job.repeatJobKey;
    if (scheduledAt === null || monitorId === undefined) {
      throw new UnrecoverableError(`round job ${job.id} was not produced by a monitor's scheduler`);
    }
    return this.starter.start(monitorId, scheduledAt, job.opts.repeat?.every);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<RoundJobData> | undefined, error: Error): void {
    this.logger.error({ err: error, jobId: job?.id, monitorId: job?.repeatJobKey, attemptsMade: job?.attemptsMade }, 'round job failed');
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    // Connection errors repeat on every reconnect attempt; the Redis watcher reports the outage once.
    if (isRedisUnavailable(error)) this.logger.debug({ err: error }, 'rounds worker error');
    else this.logger.error({ err: error }, 'rounds worker error');
  }
}
