import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { WorkerWatchdog as SharedWatchdog, type WatchedWorker } from '@crosscheck/jobs';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';

/**
 * The coordinator's workers under the watchdog policy every Crosscheck process shares
 * (`@crosscheck/jobs`): a worker whose main loop ended, or that idles while jobs wait, is replaced.
 * Reports which workers are consuming for `/health`. Workers are built by `CoordinatorWorkers`.
 */
@Injectable()
export class WorkerWatchdog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly shared: SharedWatchdog;

  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    this.shared = new SharedWatchdog({ logger: logger.child({ component: 'worker-watchdog' }) });
  }

  /** Builds, runs and keeps consuming a worker under `name` (e.g. `rounds`, `results:eu-west`). */
  keep(name: string, watched: WatchedWorker): Worker {
    return this.shared.watch(name, watched);
  }

  /** Closes the worker under `name` (waiting for its jobs in flight) and stops watching it. */
  async release(name: string): Promise<void> {
    await this.shared.release(name);
  }

  /** Whether each watched worker is consuming. */
  states(): Record<string, boolean> {
    return this.shared.states();
  }

  onApplicationBootstrap(): void {
    this.shared.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.shared.stop();
  }
}
