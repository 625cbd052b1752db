import type { RollupResolution, SeriesStep, UptimeWindow } from '@crosscheck/contract';
import { ROLLUP_TIERS, type RollupTier } from './rollup-tiers';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Most points a series answers with. */
export const MAX_SERIES_POINTS = 1_500;

/** Each window's length and resolution: the tier it is read from. */
export const UPTIME_WINDOW_SPECS: Readonly<Record<UptimeWindow, { ms: number; resolution: RollupResolution }>> = {
  '1h': { ms: HOUR_MS, resolution: 'minute' },
  '24h': { ms: DAY_MS, resolution: 'minute' },
  '7d': { ms: 7 * DAY_MS, resolution: 'hour' },
  '30d': { ms: 30 * DAY_MS, resolution: 'hour' },
  '90d': { ms: 90 * DAY_MS, resolution: 'hour' },
  '365d': { ms: 365 * DAY_MS, resolution: 'day' },
};

export const SERIES_STEP_MS: Readonly<Record<SeriesStep, number>> = {
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '1d': DAY_MS,
};

/** The step a series takes when none is asked for: 60 to 365 points. */
export const DEFAULT_SERIES_STEPS: Readonly<Record<UptimeWindow, SeriesStep>> = {
  '1h': '1m',
  '24h': '15m',
  '7d': '1h',
  '30d': '6h',
  '90d': '1d',
  '365d': '1d',
};

/** A stretch of time read from one tier: `[from, to)`, epoch ms. */
export interface UptimeSpan {
  from: number;
  to: number;
  resolution: RollupResolution;
  /** The tier the buckets are read from. */
  tier: RollupTier;
}

/**
 * The span of an uptime window at `now`: it ends with the current bucket of the window's
 * resolution (the current minute, hour or UTC day, partly elapsed) and is the window's length.
 */
export function uptimeSpan(window: UptimeWindow, now: number): UptimeSpan {
  const { ms, resolution } = UPTIME_WINDOW_SPECS[window];
  const tier = ROLLUP_TIERS[resolution];
  const to = Math.floor(now / tier.bucketMs) * tier.bucketMs + tier.bucketMs;
  return { from: to - ms, to, resolution, tier };
}

/** A stretch of time to read from one tier. */
export interface TierRead {
  tier: RollupTier;
  from: number;
  to: number;
}

/**
 * How to read a span for a sum over it (uptime): the whole UTC days inside it from the day tier,
 * the edges from the span's own tier, which gives the same sum (a day is the sum of its hours and
 * minutes) from a fraction of the buckets: 90 days of hours are 2,160 buckets, 88 days and two
 * edges about 140.
 */
export function tierReads(span: UptimeSpan): TierRead[] {
  const day = ROLLUP_TIERS.day;
  if (span.tier === day) return [{ tier: day, from: span.from, to: span.to }];
  const firstDay = Math.ceil(span.from / day.bucketMs) * day.bucketMs;
  const lastDay = Math.floor(span.to / day.bucketMs) * day.bucketMs;
  if (lastDay <= firstDay) return [{ tier: span.tier, from: span.from, to: span.to }];
  return [
    { tier: span.tier, from: span.from, to: firstDay },
    { tier: day, from: firstDay, to: lastDay },
    { tier: span.tier, from: lastDay, to: span.to },
  ].filter((read) => read.to > read.from);
}

/** Why `step` cannot cut `window`, or `null` when it can. */
export function seriesStepProblem(window: UptimeWindow, step: SeriesStep): string | null {
  const { ms, resolution } = UPTIME_WINDOW_SPECS[window];
  const stepMs = SERIES_STEP_MS[step];
  const finest = ROLLUP_TIERS[resolution].bucketMs;
  if (stepMs < finest) return `must be at least ${finest === HOUR_MS ? '1h' : finest === DAY_MS ? '1d' : '1m'} for window ${window}: it is kept per ${resolution}`;
  if (stepMs > ms) return `must not be longer than the window (${window})`;
  if (ms / stepMs > MAX_SERIES_POINTS) return `gives ${ms / stepMs} points for window ${window}; at most ${MAX_SERIES_POINTS}: take a longer step`;
  return null;
}

/**
 * The span of a series at `now`: it ends with the current step (steps are UTC-aligned) and is the
 * window's length. It is read from the coarsest tier whose buckets tile the step, which gives the
 * same sums as the window's own resolution with fewer buckets to read (a day is the sum of its hours).
 */
export function seriesSpan(window: UptimeWindow, step: SeriesStep, now: number): UptimeSpan & { stepMs: number } {
  const problem = seriesStepProblem(window, step);
  if (problem !== null) throw new RangeError(`step ${step} ${problem}`);
  const { ms, resolution } = UPTIME_WINDOW_SPECS[window];
  const stepMs = SERIES_STEP_MS[step];
  const to = Math.floor(now / stepMs) * stepMs + stepMs;
  const tier = [ROLLUP_TIERS.day, ROLLUP_TIERS.hour, ROLLUP_TIERS.minute].find((candidate) => stepMs % candidate.bucketMs === 0) ?? ROLLUP_TIERS.minute;
  return { from: to - ms, to, resolution, tier, stepMs };
}
