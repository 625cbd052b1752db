import { RESULT_JOB_NAME, type CheckResult } from '@crosscheck/contract';
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

/** Sends results to the region's `results` queue; the job id makes a second add of the same result a no-op. */
export class ResultPublisher implements ResultSink {
  constructor(private readonly queue: Queue) {}

  async add(jobId: string, result: CheckResult): Promise<void> {
    await this.queue.add(RESULT_JOB_NAME, result, { ...RESULT_JOB_OPTIONS, jobId });
  }

  async has(jobId: string): Promise<boolean> {
    return (await this.queue.getJob(jobId)) !== undefined;
  }
}
