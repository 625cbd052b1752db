import { checkResultSchema, RESULT_JOB_NAME, RESULT_QUEUE } from '@crosscheck/contract';
import { defineJob, type JobDefinition } from '@crosscheck/jobs';
import { z } from 'zod';
import {
  DEAD_LETTER_RETENTION_SECONDS,
  DELIVER_JOB_NAME,
  DELIVERED_JOB_RETENTION_SECONDS,
  deliverJobDataSchema,
  WEBHOOK_DELIVERIES_QUEUE,
} from '../webhooks/webhook-delivery-job';
import { WEBHOOK_BACKOFF_TYPE } from '../webhooks/webhook-retry-schedule';

/**
 * The jobs the coordinator consumes, typed by name: its own queues (prefix `COORDINATOR_PREFIX`,
 * `cc:c`) and the regions' `results` queues. Each has exactly one handler, set through
 * `CoordinatorWorkers.handle`; the coordinator does not start while one has none.
 */

/** Retention of finished `round` and `finalize` jobs: an hour of completed ones, a day of failed ones. */
const ROUND_JOB_RETENTION = {
  removeOnComplete: { age: 3_600, count: 1_000 },
  removeOnFail: { age: 24 * 3_600, count: 1_000 },
} as const;

/** One job scheduler per monitor (scheduler id = monitor id) produces a `round` job per interval. */
export const ROUNDS_QUEUE = 'rounds';
export const ROUND_JOB_NAME = 'round';
export const ROUND_JOB = defineJob({
  queue: ROUNDS_QUEUE,
  name: ROUND_JOB_NAME,
  schema: z.object({ monitorId: z.string().min(1) }),
  // Starting a round is idempotent (derived ids), so a failed start is simply retried.
  options: {
    attempts: 3,
    backoff: { type: 'fixed', delay: 250 },
    ...ROUND_JOB_RETENTION,
  },
});
export type RoundJobData = z.infer<typeof ROUND_JOB.schema>;

/** One delayed `finalize` job per round, due at the round's deadline. */
export const ROUND_DEADLINES_QUEUE = 'round-deadlines';
export const FINALIZE_JOB_NAME = 'finalize';
export const FINALIZE_JOB = defineJob({
  queue: ROUND_DEADLINES_QUEUE,
  name: FINALIZE_JOB_NAME,
  schema: z.object({ monitorId: z.string().min(1), roundId: z.string().min(1) }),
  options: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 500 },
    ...ROUND_JOB_RETENTION,
  },
});
export type FinalizeJobData = z.infer<typeof FINALIZE_JOB.schema>;

/** A region's agents put one `result` per check on the region's `results` queue (prefix `cc:r:{<region>}`). */
export const RESULT_JOB = defineJob({ queue: RESULT_QUEUE, name: RESULT_JOB_NAME, schema: checkResultSchema, options: {} });

/**
 * One `deliver` job per event per endpoint on `webhook-deliveries` (prefix `cc:c`). Its attempts
 * and first delay come from `WEBHOOK_RETRY_SCHEDULE`, per add; each wait between attempts is
 * decided by the handler and applied by the worker's custom backoff strategy
 * (`webhookBackoffStrategy`, named by `backoff.type`).
 */
export const DELIVER_JOB = defineJob({
  queue: WEBHOOK_DELIVERIES_QUEUE,
  name: DELIVER_JOB_NAME,
  schema: deliverJobDataSchema,
  options: {
    backoff: { type: WEBHOOK_BACKOFF_TYPE },
    removeOnComplete: { age: DELIVERED_JOB_RETENTION_SECONDS },
    // A job that failed for good is a dead letter, kept for retry and replay.
    removeOnFail: { age: DEAD_LETTER_RETENTION_SECONDS },
    // The failure is recorded in the delivery log; a stack trace per attempt would only take room.
    stackTraceLimit: 0,
  },
});

/** Every job the coordinator consumes. */
export const COORDINATOR_JOBS: readonly JobDefinition<unknown>[] = [ROUND_JOB, FINALIZE_JOB, RESULT_JOB, DELIVER_JOB];

/** Job id of a round's deadline job: one per round, however many coordinators start it. */
export function finalizeJobIdFor(roundId: string): string {
  return `finalize-${roundId}`;
}
