import type { BackoffStrategy } from 'bullmq';

/** Name of the delivery queue's backoff strategy in a job's `backoff.type` (jobs of the previous version carry it too). */
export const WEBHOOK_BACKOFF_TYPE = 'webhook';

/** Jitter: a wait is lengthened by up to this fraction of itself, never shortened. */
export const RETRY_JITTER = 0.1;

/** A `Retry-After` is honoured when it asks for longer than the schedule, up to this. */
export const RETRY_AFTER_CAP_MS = 3_600_000;

/**
 * The wait before the next attempt after `attemptsMade` attempts failed: the schedule's entry for
 * that attempt (the last entry past its end), lengthened by up to {@link RETRY_JITTER} so that
 * the retries of deliveries that failed together (a receiver's outage) spread out, and never
 * shorter than a `Retry-After` the receiver sent (up to {@link RETRY_AFTER_CAP_MS}).
 */
export function retryDelay(schedule: readonly number[], attemptsMade: number, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  const step = schedule[Math.min(Math.max(attemptsMade, 0), schedule.length - 1)] ?? 0;
  const jittered = Math.round(step * (1 + RETRY_JITTER * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, RETRY_AFTER_CAP_MS));
}

/** An attempt failure that carries the wait the processor decided on (schedule, jitter, `Retry-After`). */
export interface RetryDelayHint {
  retryInMs: number;
}

/** The wait after a failure that is not a delivery attempt's (an unexpected error, e.g. Redis going away mid-attempt). */
const UNEXPECTED_FAILURE_RETRY_MS = 5_000;

/**
 * The worker's custom backoff strategy. The processor knows the configured schedule and the
 * receiver's answer, so it decides the wait and puts it on the error it throws; BullMQ applies it.
 */
export const webhookBackoffStrategy: BackoffStrategy = (_attemptsMade, _type, error) => {
  const value = (error as Partial<RetryDelayHint> | undefined)?.retryInMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : UNEXPECTED_FAILURE_RETRY_MS;
};

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date; `null` when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed) * 1_000;
  // An HTTP date always says GMT; anything else Date.parse might read ("-5" is a year) is not one.
  const date = trimmed.endsWith('GMT') ? Date.parse(trimmed) : Number.NaN;
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}
