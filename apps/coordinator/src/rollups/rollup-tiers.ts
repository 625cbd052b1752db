import type { RollupResolution } from '@crosscheck/contract';
import type { RollupSettings } from '../config/coordinator-config';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * One tier of rollups: buckets of `bucketMs`, kept in chunks of `chunkMs` (one Redis string per
 * monitor per chunk, see `rollup-encoding.ts`). Both are UTC-aligned: epoch 0 is a UTC midnight.
 */
export interface RollupTier {
  resolution: RollupResolution;
  /** The tier's field in the monitor's open-bucket hash, and its part of the chunk keys' names. */
  field: 'm' | 'h' | 'd';
  bucketMs: number;
  chunkMs: number;
}

/**
 * The three tiers, finest first. A tier's chunk is the next tier's bucket (an hour of minutes, a
 * day of hours), which the commit script builds on: the open hour is the chunk of minutes it will
 * become, and its sum the hour's bucket. Chunks are a few KiB (60, 24 and 32 lines), and a window
 * reads few keys (25 for 24 h, 91 for 90 d, 13 for 365 d).
 */
export const ROLLUP_TIERS: Readonly<Record<RollupResolution, RollupTier>> = {
  minute: { resolution: 'minute', field: 'm', bucketMs: MINUTE_MS, chunkMs: HOUR_MS },
  hour: { resolution: 'hour', field: 'h', bucketMs: HOUR_MS, chunkMs: DAY_MS },
  day: { resolution: 'day', field: 'd', bucketMs: DAY_MS, chunkMs: 32 * DAY_MS },
};

/** The tiers in the order the commit script takes them (finest first; the last one sets the open hash's lifetime). */
export const TIER_ORDER: readonly RollupTier[] = [ROLLUP_TIERS.minute, ROLLUP_TIERS.hour, ROLLUP_TIERS.day];

/** Start of the bucket of `tier` that holds the moment `at` (epoch ms). */
export function bucketStart(tier: RollupTier, at: number): number {
  return Math.floor(at / tier.bucketMs) * tier.bucketMs;
}

/** The number of the chunk of `tier` that holds the moment `at`: its start ÷ `chunkMs`, as in its key's name. */
export function chunkNumber(tier: RollupTier, at: number): number {
  return Math.floor(at / tier.chunkMs);
}

/** How long the chunks of `tier` are kept past their end, per the settings. */
export function retentionOf(tier: RollupTier, settings: RollupSettings): number {
  switch (tier.resolution) {
    case 'minute':
      return settings.minuteRetentionMs;
    case 'hour':
      return settings.hourRetentionMs;
    case 'day':
      return settings.dayRetentionMs;
  }
}
