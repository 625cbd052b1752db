import {
  agentKey,
  agentsKey,
  CHECK_QUEUE,
  checkJobIdFor,
  CONTRACT_VERSION,
  regionPrefix,
  RESULT_JOB_NAME,
  RESULT_QUEUE,
  type CheckJob,
  type CheckResult,
} from '@crosscheck/contract';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './test-coordinator';

/** A schema-valid result of `job`, as an agent that saw a healthy 200 would send it. */
export function fakeResult(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>, agentId: string, status: 'up' | 'down' = 'up'): CheckResult {
  const now = Date.now();
  return {
    v: CONTRACT_VERSION,
    monitorId: job.monitorId,
    roundId: job.roundId,
    region: job.region,
    agentId,
    agentVersion: '0.0.0-test',
    startedAt: now - 12,
    finishedAt: now,
    verdict: {
      status,
      causes:
        status === 'up'
          ? []
          : [{ code: 'status_mismatch', severity: 'down', message: 'status 503 is not in 2xx', evidence: { status: 503 } }],
      expectations: [{ kind: 'status', passed: status === 'up', description: '[STATUS] (200) in 200-299', expected: '200-299', actual: '200' }],
      evidence: { httpStatus: status === 'up' ? 200 : 503, finalUrl: 'https://example.test/health', totalMs: 12, redirects: 0, cache: { hit: false, signals: [] } },
    },
    observation: { url: 'https://example.test/health', finalUrl: 'https://example.test/health', timings: { total: 12 }, headers: {} },
  };
}

/**
 * A stand-in for a region's agents: consumes the region's check jobs, records them and (unless
 * told to stay silent) answers each with a schema-valid result on the region's results queue,
 * with the job id the contract prescribes. Also beats like a live agent.
 */
export class FakeRegionAgent {
  readonly checks: Job<CheckJob>[] = [];
  readonly checkQueue: Queue<CheckJob>;
  readonly resultQueue: Queue<CheckResult>;
  private readonly redis: Redis;
  private worker: Worker<CheckJob> | undefined;
  private beat: NodeJS.Timeout | undefined;

  constructor(
    readonly region: string,
    readonly agentId = `fake-${region}`,
    redisUrl = TEST_REDIS_URL,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.checkQueue = new Queue<CheckJob>(CHECK_QUEUE, { connection: this.redis, prefix: regionPrefix(region) });
    this.resultQueue = new Queue<CheckResult>(RESULT_QUEUE, { connection: this.redis, prefix: regionPrefix(region) });
    this.redis.on('error', () => undefined);
    this.checkQueue.on('error', () => undefined);
    this.resultQueue.on('error', () => undefined);
  }

  /** Starts consuming; `answer: false` takes the jobs without ever answering. */
  start(options: { answer?: boolean; heartbeat?: boolean } = {}): this {
    const answer = options.answer ?? true;
    this.worker = new Worker<CheckJob>(
      CHECK_QUEUE,
      async (job) => {
        this.checks.push(job);
        if (answer) await this.answer(job.data);
      },
      { connection: this.redis, prefix: regionPrefix(this.region), concurrency: 8 },
    );
    this.worker.on('error', () => undefined);
    if (options.heartbeat ?? true) {
      const beat = () =>
        void this.redis
          .multi()
          .zadd(agentsKey(this.region), Date.now(), this.agentId)
          .hset(agentKey(this.region, this.agentId), { version: '0.0.0-test', host: 'test', pid: process.pid, startedAt: Date.now(), inFlight: 0, concurrency: 8 })
          .exec()
          .catch(() => undefined);
      beat();
      this.beat = setInterval(beat, 1_000);
    }
    return this;
  }

  /** Sends the result of `job` (with its contract job id, or `jobId` to bypass BullMQ's dedupe). */
  async answer(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>, jobId = checkJobIdFor(job.roundId, job.region)): Promise<string> {
    await this.resultQueue.add(RESULT_JOB_NAME, fakeResult(job, this.agentId), { jobId });
    return jobId;
  }

  /** Waits for a result job to finish; returns its return value, or throws its failure. */
  async resultOf(jobId: string, timeoutMs = 5_000): Promise<unknown> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const job = await this.resultQueue.getJob(jobId);
      if (job?.finishedOn !== undefined) {
        if (job.failedReason) throw new Error(job.failedReason);
        return job.returnvalue;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`result job ${jobId} did not finish within ${timeoutMs} ms`);
  }

  /** Stops, and removes everything of the region from Redis. */
  async close(): Promise<void> {
    clearInterval(this.beat);
    await this.worker?.close();
    await this.checkQueue.obliterate({ force: true });
    await this.resultQueue.obliterate({ force: true });
    await this.redis.del(agentsKey(this.region), agentKey(this.region, this.agentId));
    await this.checkQueue.close();
    await this.resultQueue.close();
    await this.redis.quit();
  }
}

/** Polls `probe` until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 8_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Removes every key of these regions (queues and heartbeats) that a test may have caused. */
export async function purgeRegions(regions: readonly string[]): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  try {
    for (const region of regions) {
      for (const name of [CHECK_QUEUE, RESULT_QUEUE]) {
        const queue = new Queue(name, { connection: redis, prefix: regionPrefix(region) });
        await queue.obliterate({ force: true });
        await queue.close();
      }
      await redis.del(agentsKey(region));
    }
  } finally {
    await redis.quit();
  }
}
