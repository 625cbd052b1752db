import { WorkerWatchdog as SharedWatchdog, type WatchedWorker } from '@crosscheck/jobs';
import type { Worker } from 'bullmq';
import type { Logger } from '../logging/logger';

/** Name of the agent's one watched worker. */
const CHECKS = 'checks';

export interface WorkerWatchdogOptions extends WatchedWorker {
  logger: Logger;
  intervalMs?: number;
  /** Waiting jobs with nothing in flight for this long means the worker stopped consuming. */
  stuckAfterMs?: number;
  now?: () => number;
}

/**
 * The agent's check worker under the watchdog policy every Crosscheck process shares
 * (`@crosscheck/jobs`: replace a worker whose main loop ended, or that idles while jobs wait).
 * The agent has one worker, so this keeps the single-worker shape the agent uses.
 */
export class WorkerWatchdog {
  private readonly shared: SharedWatchdog;

  constructor(private readonly options: WorkerWatchdogOptions) {
    this.shared = new SharedWatchdog({
      logger: options.logger,
      ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      ...(options.stuckAfterMs !== undefined ? { stuckAfterMs: options.stuckAfterMs } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }

  /** The worker currently consuming, if started. */
  get worker(): Worker | undefined {
    return this.shared.worker(CHECKS);
  }

  /** How many times the watchdog had to replace the worker. */
  get recoveries(): number {
    return this.shared.recoveries(CHECKS);
  }

  start(): void {
    const { createWorker, queue, inFlight } = this.options;
    this.shared.watch(CHECKS, { createWorker, queue, inFlight });
    this.shared.start();
  }

  /** Stops watching and closes the worker, waiting for in-flight jobs (BullMQ's `close()`). */
  async stop(): Promise<void> {
    await this.shared.stop();
  }
}
