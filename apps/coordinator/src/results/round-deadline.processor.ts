import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { ROUND_DEADLINES_QUEUE, type FinalizeJobData } from '../queues/coordinator-queues';
import { WorkerWatchdog } from '../queues/worker-watchdog.service';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { RoundFinalizer } from './round-finalizer.service';

/** Finalizes rounds whose deadline came before all their regions answered. */
@Processor(ROUND_DEADLINES_QUEUE, { concurrency: 20 })
export class RoundDeadlineProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(RoundFinalizer) private readonly finalizer: RoundFinalizer,
    @Inject(WorkerWatchdog) private readonly watchdog: WorkerWatchdog,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    super();
    this.logger = logger.child({ component: 'round-deadlines' });
  }

  onApplicationBootstrap(): void {
    this.watchdog.watch(ROUND_DEADLINES_QUEUE, this.worker);
  }

  async process(job: Job<FinalizeJobData>): Promise<{ finalized: boolean }> {
    const { monitorId, roundId } = job.data ?? {};
    if (typeof monitorId !== 'string' || typeof roundId !== 'string') {
      throw new UnrecoverableError('malformed finalize job: monitorId and roundId are required');
    }
    const summary = await this.finalizer.finalize(roundId, monitorId, 'deadline');
    return { finalized: summary !== null };
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<FinalizeJobData> | undefined, error: Error): void {
    this.logger.error({ err: error, jobId: job?.id, roundId: job?.data?.roundId, monitorId: job?.data?.monitorId }, 'finalize job failed');
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    // Connection errors repeat on every reconnect attempt; the Redis watcher reports the outage once.
    if (isRedisUnavailable(error)) this.logger.debug({ err: error }, 'round-deadlines worker error');
    else this.logger.error({ err: error }, 'round-deadlines worker error');
  }
}
