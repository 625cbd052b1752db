import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jobOptions } from '@crosscheck/jobs';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { Monitor } from '../monitors/monitor';
import { ROUND_JOB, ROUNDS_QUEUE, type RoundJobData } from '../queues/coordinator-queues';

/**
 * One BullMQ job scheduler per monitor on the `rounds` queue, id = monitor id, every
 * `intervalSeconds`. Upserting is idempotent: with an unchanged interval BullMQ keeps the
 * scheduler's next slot, so any number of coordinators may upsert the same monitor at any time
 * without doubling or shifting rounds.
 */
@Injectable()
export class RoundScheduler implements OnModuleInit {
  constructor(
    @InjectQueue(ROUNDS_QUEUE) private readonly queue: Queue<RoundJobData>,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // Without a listener, BullMQ prints connection errors to stderr; the Redis watcher logs outages.
    this.queue.on('error', (error: Error) => this.logger.debug({ err: error, queue: ROUNDS_QUEUE }, 'queue error'));
  }

  /** Creates or updates the monitor's scheduler. */
  async schedule(monitor: Pick<Monitor, 'id' | 'intervalSeconds'>): Promise<void> {
    await this.queue.upsertJobScheduler(
      monitor.id,
      { every: monitor.intervalSeconds * 1_000 },
      { name: ROUND_JOB.name, data: { monitorId: monitor.id }, opts: jobOptions(ROUND_JOB) },
    );
  }

  /** Removes the monitor's scheduler and its pending job; `false` when there was none. */
  async unschedule(monitorId: string): Promise<boolean> {
    return this.queue.removeJobScheduler(monitorId);
  }

  /** Ids of every scheduler on the queue. */
  async scheduledMonitorIds(): Promise<string[]> {
    const schedulers = await this.queue.getJobSchedulers(0, -1, true);
    return schedulers.map((scheduler) => scheduler.key);
  }
}
