import { RESULT_BATCH_JOB_NAME, RESULT_BATCH_MAX, RESULT_JOB_NAME, type CheckResult, type ResultBatch } from '@crosscheck/contract';
import type { JobsOptions, Queue } from 'bullmq';
import type { ResultSink } from './check-job.processor';

/**
 * Retention and retries of result jobs. Retries cover the coordinator's own trouble storing a
 * result; retention keeps a day of failures to look at and a little history, bounded by count.
 */
export const RESULT_JOB_OPTIONS: Readonly<JobsOptions> = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 24 * 3_600, count: 5_000 },
};

/**
 * How long a v2 result waits for others to share its batch job. A check's result is worth
 * something for seconds (until its round's deadline), so 50 ms more cost nothing, and save a
 * BullMQ job per check at the agent, in Redis and at the coordinator: at 300 checks/s, about 15
 * results share a job.
 */
export const RESULT_BATCH_LINGER_MS = 50;

interface Pending {
  result: CheckResult;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Sends results to the region's `results` queue, in the contract version of the check they answer:
 * a v1 result as one `result` job under its own id (adding it again is a no-op), v2 results in
 * `results` batch jobs of up to {@link RESULT_BATCH_MAX}, sent when the batch is full or
 * {@link RESULT_BATCH_LINGER_MS} after its first result. Each `add` resolves once the batch holding
 * its result is in Redis and rejects when Redis refused it, as a single add would: the caller's
 * retries and deadline apply per result. The coordinator stores a round's result once, so a
 * result sent twice (a retry after a reply lost on the way) is harmless.
 */
export class ResultPublisher implements ResultSink {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly queue: Queue,
    private readonly lingerMs: number = RESULT_BATCH_LINGER_MS,
  ) {}

  add(jobId: string, result: CheckResult): Promise<void> {
    if (result.v === 1) return this.queue.add(RESULT_JOB_NAME, result, { ...RESULT_JOB_OPTIONS, jobId }).then(() => undefined);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ result, resolve, reject });
      if (this.pending.length >= RESULT_BATCH_MAX) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  /** Whether a v1 result is stored under `jobId` (a v2 result has no job of its own: always `false`). */
  async has(jobId: string): Promise<boolean> {
    return (await this.queue.getJob(jobId)) !== undefined;
  }

  /** Sends what is waiting now, without waiting for the batch to fill. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const data: ResultBatch = { v: 2, results: batch.map((entry) => entry.result) };
    this.queue.add(RESULT_BATCH_JOB_NAME, data, RESULT_JOB_OPTIONS).then(
      () => {
        for (const entry of batch) entry.resolve();
      },
      (error: unknown) => {
        for (const entry of batch) entry.reject(error);
      },
    );
  }
}
