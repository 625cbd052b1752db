import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';

const CHECK_EVERY_MS = 5_000;

/**
 * Keeps BullMQ workers consuming. A worker's run loop can end on a connection error it does not
 * recover from (seen around Redis restarts); this restarts any watched worker that is neither
 * running nor closing, and reports which are running for `/health`.
 */
@Injectable()
export class WorkerWatchdog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers = new Map<string, Worker>();
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    this.logger = logger.child({ component: 'worker-watchdog' });
  }

  /** Watches `worker` under `name` (e.g. `rounds`, `results:eu-west`). */
  watch(name: string, worker: Worker): void {
    this.workers.set(name, worker);
  }

  /** Whether each watched worker is consuming. */
  states(): Record<string, boolean> {
    return Object.fromEntries([...this.workers].map(([name, worker]) => [name, worker.isRunning()]));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.revive(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
    clearInterval(this.timer);
  }

  private revive(): void {
    if (this.stopping) return;
    for (const [name, worker] of this.workers) {
      if (worker.isRunning() || worker.closing) continue;
      this.logger.warn({ worker: name }, 'worker stopped consuming; restarting it');
      worker.run().catch((error: unknown) => this.logger.error({ err: error, worker: name }, 'worker run loop failed'));
    }
  }
}
