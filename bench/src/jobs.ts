import {
  CHECK_JOB_NAME,
  RESULT_BATCH_JOB_NAME,
  CHECK_QUEUE,
  checkJobIdFor,
  CONTRACT_VERSION,
  regionPrefix,
  RESULT_QUEUE,
  roundIdFor,
  type CheckJob,
  type CheckResult,
} from '@crosscheck/contract';
import type { JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A monitor id of the contract's shape (`mon_` + 20 base-32 characters) for number `k`. */
export function monitorIdFor(k: number): string {
  let id = '';
  let n = k;
  for (let i = 0; i < 20; i++) {
    id = BASE32.charAt(n % 32) + id;
    n = Math.floor(n / 32);
  }
  return `mon_${id}`;
}

/** A region name nobody else uses: `bench-<6 random chars>-<suffix>`. */
export function benchRegion(suffix: string): string {
  const random = [...randomBytes(6)].map((byte) => BASE32.charAt(byte % 32)).join('');
  return `bench-${random}-${suffix}`;
}

/** Job options as the coordinator dispatches checks (apps/coordinator/src/regions/region-queues.service.ts). */
export const CHECK_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 5_000 },
  removeOnFail: { age: 24 * 3_600, count: 5_000 },
};

/** Result job options as the agent sends results (apps/agent/src/check/result-publisher.ts). */
export const RESULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 24 * 3_600, count: 5_000 },
};

/** The key of a region's results `wait` list: its length is the number of results nobody consumed yet. */
export function resultsWaitKey(region: string): string {
  return `${regionPrefix(region)}:${RESULT_QUEUE}:wait`;
}

/**
 * Counts the results an agent delivered to a region's `results` queue that nobody consumes: a
 * v1 `result` job is one, a v2 `results` batch job as many as it holds. Reads only the jobs added
 * since the last count (BullMQ pushes new jobs at the head of `wait`).
 */
export class ResultCounter {
  private jobs = 0;
  private results = 0;
  private readonly statuses: Record<string, number> = {};
  private sampled = 0;

  constructor(
    private readonly redis: Redis,
    private readonly region: string,
    /** Verdicts kept for the sample ({@link verdictSample}). */
    private readonly sampleSize = 200,
  ) {}

  async count(): Promise<number> {
    // Everything but the `jobs` oldest (at the tail) in one command: a job pushed meanwhile cannot shift the range.
    const ids = await this.redis.lrange(resultsWaitKey(this.region), 0, -(this.jobs + 1));
    if (ids.length === 0) return this.results;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(`${regionPrefix(this.region)}:${RESULT_QUEUE}:${id}`, 'name', 'data');
    for (const [error, reply] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      const [name, data] = reply as [string | null, string | null];
      const results: CheckResult[] = name === RESULT_BATCH_JOB_NAME ? (JSON.parse(data ?? '{}') as { results: CheckResult[] }).results : [JSON.parse(data ?? '{}') as CheckResult];
      this.results += results.length;
      for (const result of results) {
        if (this.sampled >= this.sampleSize) break;
        this.sampled += 1;
        const status = result.verdict?.status ?? 'unreadable';
        this.statuses[status] = (this.statuses[status] ?? 0) + 1;
      }
    }
    this.jobs += ids.length;
    return this.results;
  }

  /** Verdicts of the first results counted. */
  get verdictSample(): Record<string, number> {
    return { ...this.statuses };
  }
}

export function checksKeyPrefix(region: string): string {
  return `${regionPrefix(region)}:${CHECK_QUEUE}`;
}

let sequence = 0;

/**
 * The contract version the bench writes check jobs in: the current one, or `BENCH_CHECK_JOB_VERSION`
 * (1, to measure an agent build from before contract v2 through `BENCH_AGENT_MAIN`).
 */
const JOB_VERSION: CheckJob['v'] = process.env['BENCH_CHECK_JOB_VERSION'] === '1' ? 1 : CONTRACT_VERSION;

/**
 * Adds `count` valid check jobs for `region`, each for monitor `k % monitors` whose spec is
 * `specFor(k)`, scheduled now with a deadline an hour away (so none is dropped as late).
 */
export async function addCheckJobs(
  queue: Queue<CheckJob>,
  region: string,
  count: number,
  specFor: (monitor: number) => Record<string, unknown>,
  monitors = 500,
): Promise<void> {
  const chunk = 500;
  for (let offset = 0; offset < count; offset += chunk) {
    const now = Date.now();
    const jobs = [];
    for (let i = offset; i < Math.min(count, offset + chunk); i++) {
      const k = i % monitors;
      const monitorId = monitorIdFor(k);
      // Unique per job (BullMQ ids dedupe): the scheduled moment advances with a global sequence.
      const scheduledAt = now * 1_000 + (++sequence % 1_000_000);
      const roundId = roundIdFor(monitorId, scheduledAt);
      const data: CheckJob = {
        v: JOB_VERSION,
        monitorId,
        roundId,
        region,
        scheduledAt: now,
        deadline: now + 3_600_000,
        spec: specFor(k),
      };
      jobs.push({ name: CHECK_JOB_NAME, data, opts: { ...CHECK_JOB_OPTIONS, jobId: checkJobIdFor(roundId, region) } });
    }
    await queue.addBulk(jobs);
  }
}
