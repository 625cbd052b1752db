import type { Queue, Worker } from 'bullmq';

/** What the watchdog writes to: pino's `Logger` fits. */
export interface WatchdogLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** One worker to keep consuming. */
export interface WatchedWorker {
  /** Builds a new, not yet running worker (`autorun: false`); called again to replace a stuck one. */
  createWorker: () => Worker;
  /** The queue the worker consumes, seen from a producer connection (its waiting count). */
  queue: Queue;
  /** Jobs this process is handling from that queue now. */
  inFlight: () => number;
}

export interface WorkerWatchdogOptions {
  logger: WatchdogLogger;
  /** Between two inspections (ms). */
  intervalMs?: number;
  /** Waiting jobs with nothing in flight for this long means the worker stopped consuming (ms). */
  stuckAfterMs?: number;
  now?: () => number;
}

/** Default time between inspections. */
export const WATCHDOG_INTERVAL_MS = 5_000;
/** Default time a worker may idle while jobs wait before it is replaced. */
export const WATCHDOG_STUCK_AFTER_MS = 20_000;
/** The most one worker's inspection may wait for Redis (ms). */
const INSPECTION_TIMEOUT_MS = 3_000;
/** A delayed job this late (ms past its time) counts as a job waiting. */
export const DELAYED_OVERDUE_MS = 1_000;
/**
 * How long an overdue delayed job may stay overdue while the worker idles before it is replaced:
 * shorter than {@link WATCHDOG_STUCK_AFTER_MS}, because a healthy worker promotes a delayed job on
 * time (its blocking wait ends when the next one is due), so there is no fetch or retry to wait out;
 * the rounds of a hung shard resume within seconds instead of half a minute.
 */
export const OVERDUE_STUCK_AFTER_MS = 5_000;

interface Entry {
  name: string;
  watched: WatchedWorker;
  worker: Worker;
  idleWithWorkSince: number | undefined;
  recoveries: number;
  releasing: boolean;
}

/**
 * Keeps BullMQ workers consuming: the one policy of every Crosscheck process. BullMQ and ioredis
 * reconnect by themselves, but workers have been seen to stop taking jobs after Redis restarts or
 * failovers while the process stays up (taskforcesh/bullmq#648, #2466, #2964, #3185); the
 * maintainers' advice is to watch and restart the worker from outside. At each inspection a
 * watched worker is replaced (closed, and a new one built) when:
 *
 * - its main loop is not running (it ended, or `run()` failed), and it is not being closed; or
 * - jobs wait in its queue (not paused), or a delayed job is overdue (a job scheduler's next run:
 *   a healthy worker promotes it within milliseconds of its time), while this process has nothing
 *   of it in flight, for longer than a blocking fetch and a retry delay could explain. The overdue
 *   delayed job is what a worker on a Redis Cluster leaves behind when it hangs in its blocking
 *   connection's reconnect after a master failover (seen with BullMQ 5.81 and ioredis 5.11,
 *   about one failover in two: `test/cluster-failover.e2e.ts`): nothing waits, nothing is
 *   promoted, nothing is logged.
 *
 * The second rule is safe with several processes on one queue: any of them with free slots takes
 * a waiting job within milliseconds, so a queue that stays non-empty while this one idles is not
 * being served by this one.
 */
export class WorkerWatchdog {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopping = false;
  /** Once stopped, no worker may be added: it would outlive the process's shutdown. */
  private stopped = false;
  private readonly intervalMs: number;
  private readonly stuckAfterMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WorkerWatchdogOptions) {
    this.intervalMs = options.intervalMs ?? WATCHDOG_INTERVAL_MS;
    this.stuckAfterMs = options.stuckAfterMs ?? WATCHDOG_STUCK_AFTER_MS;
    this.now = options.now ?? Date.now;
  }

  /** Builds the worker, runs it and keeps it consuming under `name` (e.g. `rounds`, `results:eu-west`). */
  watch(name: string, watched: WatchedWorker): Worker {
    if (this.stopped) throw new Error(`the watchdog is stopped: worker ${name} not started`);
    if (this.entries.has(name)) throw new Error(`a worker named ${name} is watched already`);
    const worker = watched.createWorker();
    const entry: Entry = { name, watched, worker, idleWithWorkSince: undefined, recoveries: 0, releasing: false };
    this.entries.set(name, entry);
    this.run(entry, worker);
    return worker;
  }

  /** Stops watching `name` and closes its worker, waiting for its jobs in flight (BullMQ's `close()`). */
  async release(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    entry.releasing = true;
    this.entries.delete(name);
    await entry.worker.close();
  }

  /** The worker watched under `name` now. */
  worker(name: string): Worker | undefined {
    return this.entries.get(name)?.worker;
  }

  /** How many times the worker under `name` (or, without a name, any worker) had to be replaced. */
  recoveries(name?: string): number {
    if (name !== undefined) return this.entries.get(name)?.recoveries ?? 0;
    return [...this.entries.values()].reduce((sum, entry) => sum + entry.recoveries, 0);
  }

  /** Whether each watched worker's main loop is running. */
  states(): Record<string, boolean> {
    return Object.fromEntries([...this.entries.values()].map((entry) => [entry.name, entry.worker.isRunning()]));
  }

  /** Starts the inspections. */
  start(): void {
    this.stopping = false;
    this.schedule();
  }

  /** Stops the inspections and closes every worker, waiting for the jobs in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) entry.releasing = true;
    await Promise.all(entries.map((entry) => entry.worker.close()));
  }

  /** One inspection of every worker; exposed so tests need not wait for the timer. */
  async inspect(): Promise<void> {
    for (const entry of [...this.entries.values()]) {
      if (this.stopping) return;
      await this.inspectOne(entry).catch((error: unknown) =>
        this.options.logger.error({ err: error, worker: entry.name }, 'worker watchdog failed'),
      );
    }
  }

  private async inspectOne(entry: Entry): Promise<void> {
    const { worker, watched } = entry;
    if (entry.releasing || worker.closing) return;
    if (!worker.isRunning()) {
      // BullMQ's main loop only ends once its jobs are done, so nothing is lost by replacing it.
      await this.replace(entry, 'worker main loop is not running; replacing the worker', {});
      return;
    }
    let waiting: number;
    let paused: boolean;
    let overdue: boolean;
    try {
      // Bounded: one read that never settles (a connection caught in a failover) must not stall the inspections of every worker.
      [waiting, paused, overdue] = await withTimeout(
        Promise.all([watched.queue.getWaitingCount(), watched.queue.isPaused(), this.delayedJobOverdue(watched.queue)]),
        INSPECTION_TIMEOUT_MS,
      );
    } catch {
      // Redis unreachable: nothing to conclude; the connection logs its own trouble.
      entry.idleWithWorkSince = undefined;
      return;
    }
    if ((waiting === 0 && !overdue) || paused || watched.inFlight() > 0) {
      entry.idleWithWorkSince = undefined;
      return;
    }
    entry.idleWithWorkSince ??= this.now();
    const idleMs = this.now() - entry.idleWithWorkSince;
    const stuckAfterMs = overdue ? Math.min(this.stuckAfterMs, OVERDUE_STUCK_AFTER_MS) : this.stuckAfterMs;
    if (idleMs >= stuckAfterMs) await this.replace(entry, 'worker stopped consuming while jobs wait; replacing it', { waiting, overdueDelayed: overdue, idleMs });
  }

  /** Whether the queue's earliest delayed job was due more than {@link DELAYED_OVERDUE_MS} ago. */
  private async delayedJobOverdue(queue: Queue): Promise<boolean> {
    const [earliest] = await queue.getDelayed(0, 0);
    if (earliest === undefined) return false;
    return earliest.timestamp + earliest.delay < this.now() - DELAYED_OVERDUE_MS;
  }

  private async replace(entry: Entry, message: string, fields: Record<string, unknown>): Promise<void> {
    this.options.logger.error({ ...fields, worker: entry.name }, message);
    entry.recoveries += 1;
    entry.idleWithWorkSince = undefined;
    // Nothing is in flight, so a forced close loses no work; bounded in case its connection hangs.
    await withTimeout(entry.worker.close(true), 5_000).catch((error: unknown) =>
      this.options.logger.warn({ err: error, worker: entry.name }, 'replaced worker did not close cleanly'),
    );
    if (this.stopping || entry.releasing || this.entries.get(entry.name) !== entry) return;
    entry.worker = entry.watched.createWorker();
    this.run(entry, entry.worker);
  }

  private run(entry: Entry, worker: Worker): void {
    worker.run().then(
      () => {
        if (!this.stopping && !entry.releasing && entry.worker === worker && !worker.closing) {
          this.options.logger.warn({ worker: entry.name }, 'worker main loop ended unexpectedly');
        }
      },
      (error: unknown) => {
        if (!this.stopping && !entry.releasing) this.options.logger.error({ err: error, worker: entry.name }, 'worker main loop failed');
      },
    );
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.ticking = this.inspect().finally(() => {
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
