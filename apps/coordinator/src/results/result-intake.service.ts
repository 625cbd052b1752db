import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { regionPrefix, RESULT_QUEUE } from '@crosscheck/contract';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { WorkerWatchdog } from '../queues/worker-watchdog.service';
import { RedisConnections } from '../redis/redis-connections';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { REDIS_QUEUE_CONNECTION } from '../redis/redis.tokens';
import { ResultIntakeProcessor } from './result-intake.processor';

/** How often the known regions are read again, to consume regions other coordinators added. */
const SYNC_EVERY_MS = 10_000;
const CONCURRENCY_PER_REGION = 16;

/**
 * One BullMQ worker per known region on that region's `results` queue (prefix `cc:r:<region>`).
 * Known regions are `cc:c:regions`: read at boot, every few seconds and after a Redis reconnect;
 * a monitor that adds a region starts its worker at once through {@link ResultIntake.ensureRegions}.
 */
@Injectable()
export class ResultIntake implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers = new Map<string, Worker>();
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(REDIS_QUEUE_CONNECTION) private readonly connection: Redis,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(ResultIntakeProcessor) private readonly processor: ResultIntakeProcessor,
    @Inject(WorkerWatchdog) private readonly watchdog: WorkerWatchdog,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'result-intake' });
  }

  onApplicationBootstrap(): void {
    void this.sync();
    this.timer = setInterval(() => void this.sync(), SYNC_EVERY_MS);
    this.timer.unref();
    this.connections.onReconnect(() => void this.sync());
  }

  /** Starts consuming the results of these regions, if not already. */
  ensureRegions(regions: readonly string[]): void {
    if (this.stopping) return;
    for (const region of regions) if (!this.workers.has(region)) this.start(region);
  }

  /** Regions whose results this coordinator consumes. */
  regions(): string[] {
    return [...this.workers.keys()].sort();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
  }

  private start(region: string): void {
    const worker = new Worker(RESULT_QUEUE, (job: Job) => this.processor.process(region, job), {
      connection: this.connection,
      prefix: regionPrefix(region),
      concurrency: CONCURRENCY_PER_REGION,
      removeOnComplete: { age: 3_600, count: 1_000 },
      removeOnFail: { age: 7 * 24 * 3_600, count: 5_000 },
    });
    worker.on('error', (error: Error) =>
      // Connection errors repeat on every reconnect attempt; the Redis watcher reports the outage once.
      isRedisUnavailable(error)
        ? this.logger.debug({ err: error, region }, 'results worker error')
        : this.logger.error({ err: error, region }, 'results worker error'),
    );
    worker.on('failed', (job: Job | undefined, error: Error) =>
      this.logger.warn({ err: error, region, jobId: job?.id }, 'result job failed'),
    );
    this.workers.set(region, worker);
    this.watchdog.watch(`results:${region}`, worker);
    this.logger.info({ region }, 'consuming results of region');
  }

  private async sync(): Promise<void> {
    try {
      this.ensureRegions(await this.monitors.knownRegions());
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read known regions; retrying later');
    }
  }
}
