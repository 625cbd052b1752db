import type { Queue, Worker } from 'bullmq';
import type { Logger } from '../logging/logger';

export interface WorkerWatchdogOptions {
  /** Builds a new, not yet running worker (`autorun: false`). */
  createWorker: () => Worker;
  /** The same queue the worker consumes, seen from the producer connection. */
  queue: Queue;
  /** Checks this process is working on now. */
  inFlight: () => number;
  logger: Logger;
  intervalMs?: number;
  /** Waiting jobs with nothing in flight for this long means the worker stopped consuming. */
  stuckAfterMs?: number;
  now?: () => number;
}

/**
 * Keeps a BullMQ worker consuming. BullMQ and ioredis reconnect by themselves, but workers have
 * been seen to stop taking jobs after Redis restarts or failovers while the process stays up
 * (taskforcesh/bullmq#648, #2466, #2964, #3185). The maintainers' advice is to watch and restart
 * the worker from outside. This replaces it (closes it, builds a new one) when, at a tick:
 *
 * - its main loop is not running (it ended, or `run()` failed); or
 * - jobs wait in the queue (not paused) while this process has nothing in flight, for longer than
 *   a blocking fetch and a retry delay could explain.
 *
 * The second check is safe with several agents per region: any agent with free slots takes a
 * waiting job within milliseconds, so a queue that stays non-empty while this one idles is not
 * being served by this one.
 */
export class WorkerWatchdog {
  private current: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleWithWorkSince: number | undefined;
  private stopping = false;
  private ticking: Promise<void> | undefined;
  private restarts = 0;
  private readonly intervalMs: number;
  private readonly stuckAfterMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WorkerWatchdogOptions) {
    this.intervalMs = options.intervalMs ?? 5_000;
    this.stuckAfterMs = options.stuckAfterMs ?? 20_000;
    this.now = options.now ?? Date.now;
  }

  /** The worker currently consuming, if started. */
  get worker(): Worker | undefined {
    return this.current;
  }

  /** How many times the watchdog had to replace the worker. */
  get recoveries(): number {
    return this.restarts;
  }

  start(): void {
    this.stopping = false;
    this.current = this.options.createWorker();
    this.run(this.current);
    this.schedule();
  }

  /** Stops watching and closes the worker, waiting for in-flight jobs (BullMQ's `close()`). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.ticking;
    await this.current?.close();
  }

  /** One inspection; exposed so tests need not wait for the timer. */
  async inspect(): Promise<void> {
    const worker = this.current;
    if (this.stopping || !worker) return;
    if (!worker.isRunning()) {
      // BullMQ's main loop only ends once its jobs are done, so nothing is lost by replacing it.
      await this.replace(worker, 'check worker main loop is not running; replacing the worker', {});
      return;
    }
    let waiting: number;
    let paused: boolean;
    try {
      [waiting, paused] = await Promise.all([this.options.queue.getWaitingCount(), this.options.queue.isPaused()]);
    } catch {
      // Redis unreachable: nothing to conclude; the connection logs its own trouble.
      this.idleWithWorkSince = undefined;
      return;
    }
    if (waiting === 0 || paused || this.options.inFlight() > 0) {
      this.idleWithWorkSince = undefined;
      return;
    }
    this.idleWithWorkSince ??= this.now();
    const idleMs = this.now() - this.idleWithWorkSince;
    if (idleMs >= this.stuckAfterMs) {
      await this.replace(worker, 'check worker stopped consuming; replacing it', { waiting, idleMs });
    }
  }

  private async replace(worker: Worker, message: string, fields: Record<string, unknown>): Promise<void> {
    this.options.logger.error(fields, message);
    this.restarts += 1;
    this.idleWithWorkSince = undefined;
    // Nothing is in flight, so a forced close loses no work; bounded in case its connection hangs.
    await withTimeout(worker.close(true), 5_000).catch((error: unknown) =>
      this.options.logger.warn({ err: error }, 'replaced worker did not close cleanly'),
    );
    if (this.stopping) return;
    this.current = this.options.createWorker();
    this.run(this.current);
  }

  private run(worker: Worker): void {
    worker.run().then(
      () => {
        if (!this.stopping && worker === this.current) this.options.logger.warn('check worker main loop ended unexpectedly');
      },
      (error: unknown) => {
        if (!this.stopping) this.options.logger.error({ err: error }, 'check worker main loop failed');
      },
    );
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.ticking = this.inspect()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'worker watchdog failed'))
        .finally(() => {
          this.ticking = undefined;
          if (!this.stopping) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
