import { CHECK_QUEUE, regionPrefix, RESULT_QUEUE } from '@crosscheck/contract';
import { Queue, Worker } from 'bullmq';
import type { RedisClient } from './redis/redis-connection';
import { BodyBudget } from './check/body-budget';
import { CheckJobProcessor, type CheckObserver } from './check/check-job.processor';
import { dnsServersResolver } from './check/dns-servers-resolver';
import { ResultPublisher } from './check/result-publisher';
import type { AgentConfig } from './config/agent-config';
import { Heartbeat } from './heartbeat/heartbeat';
import type { Logger } from './logging/logger';
import { createRedisConnection, isConnectionError } from './redis/redis-connection';
import { WorkerWatchdog } from './worker/worker-watchdog';

/**
 * Check-job locks. BullMQ renews a lock every `lockDuration / 2` while the job runs, so a live
 * agent never loses one; when an agent dies without closing (SIGKILL, OOM, lost host) its locks
 * expire after `lockDuration`, and the next stalled-job sweep of any other agent of the region
 * (every `stalledInterval`) puts the jobs back in the queue: recovered within roughly
 * 10-15 s instead of BullMQ's default 30-60 s, which matters because a check is worth nothing
 * after its deadline (schedule + timeout + a few seconds' grace). Shorter would risk taking a
 * job from an agent that is merely slow (event-loop stall, slow Redis). `maxStalledCount: 1`:
 * a job that stalls twice is failed, so a check that kills its agent cannot kill the region's
 * agents one after the other.
 */
export const CHECK_LOCKS = { lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 1 } as const;

/**
 * BullMQ reads the server's version (and eviction policy) from INFO when it connects, which an
 * agent's ACL user may not run (see `regionAclRule`). Without it BullMQ assumes its minimum
 * supported version: blocking fetches then wait in whole seconds, which only delays jobs that were
 * delayed on purpose (retries), by under a second; the eviction policy is the coordinator's to check.
 */
const NO_INFO = { skipVersionCheck: true } as const;

/** Retention of finished check jobs, for the jobs that do not bring their own. */
const CHECK_JOB_RETENTION = {
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3_600, count: 5_000 },
} as const;

export interface AgentRuntime {
  logger: Logger;
  version: string;
  host: string;
  pid: number;
  now?: () => number;
  /** Overrides for tests; production uses the contract's intervals. */
  heartbeatIntervalMs?: number;
  watchdogIntervalMs?: number;
  watchdogStuckAfterMs?: number;
  /** Told how each check ends (the agent's metrics, when served). */
  checkObserver?: CheckObserver;
}

/** How a shutdown went: `clean` when every in-flight check finished within the grace period. */
export interface ShutdownReport {
  clean: boolean;
  abandonedChecks: number;
}

/**
 * One agent: consumes its region's `checks` queue, probes, and sends results to the region's
 * `results` queue, beating a heartbeat meanwhile. Constructing it does nothing; `start()` connects.
 */
export class Agent {
  private workerRedis: RedisClient | undefined;
  private producerRedis: RedisClient | undefined;
  private resultQueue: Queue | undefined;
  private checkQueue: Queue | undefined;
  private processor: CheckJobProcessor | undefined;
  private bodyBudget: BodyBudget | undefined;
  private watchdog: WorkerWatchdog | undefined;
  private heartbeat: Heartbeat | undefined;
  private stopping: Promise<ShutdownReport> | undefined;
  private readonly log: Logger;

  constructor(
    private readonly config: AgentConfig,
    private readonly runtime: AgentRuntime,
  ) {
    this.log = runtime.logger;
  }

  /** The BullMQ prefix of this agent's queues: `cc:r:{<region>}`. */
  get prefix(): string {
    return regionPrefix(this.config.region);
  }

  /** Checks being processed now. */
  get inFlight(): number {
    return this.processor?.inFlight ?? 0;
  }

  /** The memory budget for bodies in flight, once started. */
  get memory(): BodyBudget | undefined {
    return this.bodyBudget;
  }

  /** Times the watchdog had to restart the worker (for tests and diagnostics). */
  get workerRecoveries(): number {
    return this.watchdog?.recoveries ?? 0;
  }

  /** Connects and starts consuming. Does not wait for Redis: an agent started before Redis connects when it can. */
  start(): void {
    if (this.watchdog) throw new Error('agent already started');
    const { config, runtime } = this;
    const prefix = this.prefix;

    this.workerRedis = createRedisConnection(config.redis, 'worker', this.log);
    this.producerRedis = createRedisConnection(config.redis, 'producer', this.log);
    const producer = this.producerRedis;
    this.resultQueue = new Queue(RESULT_QUEUE, { connection: producer, prefix, ...NO_INFO });
    this.checkQueue = new Queue(CHECK_QUEUE, { connection: producer, prefix, ...NO_INFO });
    for (const queue of [this.resultQueue, this.checkQueue]) {
      queue.on('error', (error) =>
        this.log[isConnectionError(error) ? 'debug' : 'warn']({ err: error, queue: `${prefix}:${queue.name}` }, 'queue error'),
      );
    }

    const bodyBudget = new BodyBudget(config.memoryBudgetBytes);
    this.bodyBudget = bodyBudget;
    const processor = new CheckJobProcessor({
      region: config.region,
      agentId: config.agentId,
      agentVersion: runtime.version,
      probe: {
        resolve: config.resolve,
        allowPrivate: config.allowPrivateTargets,
        allowLinkLocal: config.allowLinkLocalTargets,
        ...(config.dnsServers ? { resolver: dnsServersResolver(config.dnsServers) } : {}),
      },
      results: new ResultPublisher(this.resultQueue),
      bodyBudget,
      logger: this.log,
      ...(runtime.now ? { now: runtime.now } : {}),
      ...(runtime.checkObserver ? { observer: runtime.checkObserver } : {}),
    });
    this.processor = processor;

    this.watchdog = new WorkerWatchdog({
      createWorker: () => this.createWorker(processor),
      queue: this.checkQueue,
      inFlight: () => processor.inFlight,
      logger: this.log,
      ...(runtime.watchdogIntervalMs !== undefined ? { intervalMs: runtime.watchdogIntervalMs } : {}),
      ...(runtime.watchdogStuckAfterMs !== undefined ? { stuckAfterMs: runtime.watchdogStuckAfterMs } : {}),
    });
    this.heartbeat = new Heartbeat({
      redis: producer,
      identity: {
        region: config.region,
        agentId: config.agentId,
        version: runtime.version,
        host: runtime.host,
        pid: runtime.pid,
        startedAt: (runtime.now ?? Date.now)(),
        concurrency: config.concurrency,
        memoryBudgetBytes: bodyBudget.totalBytes,
      },
      inFlight: () => processor.inFlight,
      memory: () => ({ reservedBytes: bodyBudget.reservedBytes, waiting: bodyBudget.waiting }),
      logger: this.log,
      ...(runtime.heartbeatIntervalMs !== undefined ? { intervalMs: runtime.heartbeatIntervalMs } : {}),
      ...(runtime.now ? { now: runtime.now } : {}),
    });

    this.watchdog.start();
    this.heartbeat.start();
    this.log.info(
      {
        queue: `${prefix}:${CHECK_QUEUE}`,
        results: `${prefix}:${RESULT_QUEUE}`,
        concurrency: config.concurrency,
        memoryBudgetBytes: config.memoryBudgetBytes,
        allowPrivateTargets: config.allowPrivateTargets,
        allowLinkLocalTargets: config.allowLinkLocalTargets,
        resolveOverrides: config.resolve.length,
        dnsServers: config.dnsServers ?? 'system',
      },
      `consuming ${prefix}:${CHECK_QUEUE}`,
    );
  }

  /**
   * Stops taking jobs, lets in-flight checks finish for at most `graceMs`, removes the heartbeat
   * and closes the connections. Past the grace period it disconnects anyway: the abandoned
   * checks' locks expire and another agent of the region takes them (see {@link CHECK_LOCKS}).
   */
  stop(graceMs: number = this.config.shutdownGraceMs): Promise<ShutdownReport> {
    this.stopping ??= this.shutdown(graceMs);
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<ShutdownReport> {
    this.log.info({ inFlight: this.inFlight, graceMs }, 'shutting down: no new checks; waiting for those in flight');
    // Checks still waiting for memory have probed nothing: they go back to the queue at once.
    this.bodyBudget?.stop();
    const closed = await this.drain(this.watchdog?.stop() ?? Promise.resolve(), graceMs);
    const abandonedChecks = this.inFlight;
    if (abandonedChecks > 0) {
      this.processor?.abandonInFlight();
      this.log.error({ abandonedChecks, graceMs }, 'grace period over with checks in flight; abandoning them to other agents');
    } else if (!closed) {
      this.log.warn('worker could not close cleanly (Redis unreachable); no check was in flight');
    }
    await settlesWithin(this.heartbeat?.stop() ?? Promise.resolve(), 2_000);
    if (closed) {
      await settlesWithin(
        Promise.allSettled([this.resultQueue?.close(), this.checkQueue?.close(), this.workerRedis?.quit(), this.producerRedis?.quit()]),
        2_000,
      );
    }
    // quit() waits for replies; whatever is left (a forced stop, Redis down) is cut.
    this.workerRedis?.disconnect();
    this.producerRedis?.disconnect();
    this.log.info({ clean: abandonedChecks === 0 }, 'agent stopped');
    return { clean: abandonedChecks === 0, abandonedChecks };
  }

  /**
   * Waits for the worker to close (BullMQ waits for its jobs), for at most `graceMs`. Stops
   * waiting early when nothing is in flight and Redis is unreachable: the close cannot finish
   * then, and there is nothing left to save.
   */
  private async drain(closing: Promise<void>, graceMs: number): Promise<boolean> {
    const until = Date.now() + graceMs;
    let closed = false;
    void closing.then(
      () => (closed = true),
      () => (closed = true),
    );
    while (!closed && Date.now() < until) {
      if (this.inFlight === 0 && this.workerRedis?.status !== 'ready') return false;
      await settlesWithin(closing, Math.min(100, Math.max(0, until - Date.now())));
    }
    return closed;
  }

  private createWorker(processor: CheckJobProcessor): Worker {
    const { config } = this;
    if (!this.workerRedis) throw new Error('agent not started');
    const worker = new Worker(CHECK_QUEUE, (job) => processor.process(job), {
      connection: this.workerRedis,
      prefix: this.prefix,
      ...NO_INFO,
      name: config.agentId,
      concurrency: config.concurrency,
      autorun: false,
      ...CHECK_LOCKS,
      ...CHECK_JOB_RETENTION,
      // After a connection error, fetch again after 1 s rather than BullMQ's 15 s: checks have deadlines.
      runRetryDelay: 1_000,
    });
    worker.on('error', (error) => this.log[isConnectionError(error) ? 'debug' : 'error']({ err: error }, 'check worker error'));
    worker.on('stalled', (jobId) => this.log.warn({ jobId }, 'check job stalled (its agent died or blocked); requeued'));
    worker.on('closed', () => this.log.debug('check worker closed'));
    return worker;
  }
}

/** Whether `promise` settles (either way) within `ms`. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
