import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jobOptions } from '@crosscheck/jobs';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { Clock } from '../core/clock';
import { FINALIZE_JOB, finalizeJobIdFor, ROUND_DEADLINES_QUEUE, type FinalizeJobData } from '../queues/coordinator-queues';

/** Puts a round's deadline on the `round-deadlines` queue: a delayed job that finalizes it then. */
@Injectable()
export class RoundDeadlines implements OnModuleInit {
  constructor(
    @InjectQueue(ROUND_DEADLINES_QUEUE) private readonly queue: Queue<FinalizeJobData>,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // Without a listener, BullMQ prints connection errors to stderr; the Redis watcher logs outages.
    this.queue.on('error', (error: Error) => this.logger.debug({ err: error, queue: ROUND_DEADLINES_QUEUE }, 'queue error'));
  }

  /** Idempotent: the job id derives from the round, so a second call adds nothing. */
  async schedule(monitorId: string, roundId: string, deadline: number): Promise<void> {
    await this.queue.add(
      FINALIZE_JOB.name,
      { monitorId, roundId },
      jobOptions(FINALIZE_JOB, { jobId: finalizeJobIdFor(roundId), delay: Math.max(0, deadline - this.clock.now()) }),
    );
  }
}
