import type { BackoffStrategy } from 'bullmq';

/** Name of the delivery queue's backoff strategy in a job's `backoff.type`. */
export const WEBHOOK_BACKOFF_TYPE = 'webhook';

/** No wait between two attempts is longer than this, whatever the base or a `Retry-After`. */
export const WEBHOOK_BACKOFF_CAP_MS = 10 * 60_000;

/**
 * The wait before the next attempt after `attemptsMade` failed ones: exponential (`base × 2^(n-1)`,
 * capped), with "equal jitter": uniformly between half of that and all of it. Jitter spreads the
 * retries of many deliveries that failed together (a receiver's outage); keeping at least half of
 * the step keeps the schedule spanning the time it is meant to (full jitter could retry at once).
 * A `Retry-After` the receiver sent is honoured when it asks for longer (up to the cap).
 */
export function webhookBackoffDelay(attemptsMade: number, baseMs: number, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  const step = Math.min(WEBHOOK_BACKOFF_CAP_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(step / 2 + random() * (step / 2));
  return Math.min(WEBHOOK_BACKOFF_CAP_MS, Math.max(jittered, retryAfterMs ?? 0));
}

/** An attempt failure that says how long the receiver asked to wait (`Retry-After`). */
export interface RetryAfterHint {
  retryAfterMs: number | null;
}

function retryAfterOf(error: Error | undefined): number | null {
  const value = (error as Partial<RetryAfterHint> | undefined)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * The worker's custom backoff strategy. The base travels in each job's `backoff.delay` (set from
 * `WEBHOOK_RETRY_BASE_MS` when the job is added), so the strategy itself needs no configuration.
 */
export const webhookBackoffStrategy: BackoffStrategy = (attemptsMade, _type, error, job) => {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && typeof backoff.delay === 'number' ? backoff.delay : 1_000;
  return webhookBackoffDelay(attemptsMade, base, retryAfterOf(error));
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
