import { CLASSIFICATIONS, type Classification } from '@crosscheck/checks';
import { addLatencyCounts, type LatencyCounts } from './latency-histogram';

/** One region over a bucket: its checks by status, and the latency of those that got a response. */
export interface RegionRollup {
  up: number;
  degraded: number;
  down: number;
  missing: number;
  /** The largest latency seen (ms); meaningful only when `latency` holds any. */
  latencyMaxMs: number;
  /** Latencies by histogram bucket (see `latency-histogram.ts`). */
  latency: LatencyCounts;
}

/** Rounds of one classification in a bucket, and the time they stand for (the sum of their intervals). */
export interface ClassificationRollup {
  rounds: number;
  seconds: number;
}

/**
 * What a bucket of time holds of one monitor: its rounds, by classification, the time an incident
 * was open, and every region's checks. One round is a bucket too (see `round-rollup.ts`), and
 * buckets add: a bucket of an hour is the sum of its rounds, or of its minutes.
 */
export interface RollupBucket {
  rounds: number;
  classifications: Record<Classification, ClassificationRollup>;
  /** The sum of the intervals of the rounds after which an incident was open. */
  incidentSeconds: number;
  /** Rounds that fell in a maintenance window (counted in `classifications` too). */
  maintenance: MaintenanceRollup;
  regions: Map<string, RegionRollup>;
}

/**
 * Rounds in maintenance: all of them and their time, and of the decided ones (not `unknown`) how
 * many were up and degraded, so uptime can leave them out of its ratio.
 */
export interface MaintenanceRollup {
  /** Decided rounds (any classification but `unknown`) in a window. */
  decided: number;
  /** Of those, `operational` and `degraded` ones. */
  up: number;
  /** Of those, `degraded` ones. */
  degraded: number;
  /** The sum of the intervals of every round in a window. */
  seconds: number;
}

export function emptyRegionRollup(): RegionRollup {
  return { up: 0, degraded: 0, down: 0, missing: 0, latencyMaxMs: 0, latency: new Map() };
}

export function emptyBucket(): RollupBucket {
  const classifications = {} as Record<Classification, ClassificationRollup>;
  for (const classification of CLASSIFICATIONS) classifications[classification] = { rounds: 0, seconds: 0 };
  return { rounds: 0, classifications, incidentSeconds: 0, maintenance: { decided: 0, up: 0, degraded: 0, seconds: 0 }, regions: new Map() };
}

/** Adds `from` into `into` (counts add, the latency maximum is the larger). */
export function addBucket(into: RollupBucket, from: RollupBucket): void {
  into.rounds += from.rounds;
  for (const classification of CLASSIFICATIONS) {
    into.classifications[classification].rounds += from.classifications[classification].rounds;
    into.classifications[classification].seconds += from.classifications[classification].seconds;
  }
  into.incidentSeconds += from.incidentSeconds;
  into.maintenance.decided += from.maintenance.decided;
  into.maintenance.up += from.maintenance.up;
  into.maintenance.degraded += from.maintenance.degraded;
  into.maintenance.seconds += from.maintenance.seconds;
  for (const [name, region] of from.regions) {
    let target = into.regions.get(name);
    if (!target) {
      target = emptyRegionRollup();
      into.regions.set(name, target);
    }
    target.up += region.up;
    target.degraded += region.degraded;
    target.down += region.down;
    target.missing += region.missing;
    if (region.latency.size > 0) target.latencyMaxMs = target.latency.size > 0 ? Math.max(target.latencyMaxMs, region.latencyMaxMs) : region.latencyMaxMs;
    addLatencyCounts(target.latency, region.latency);
  }
}

/** A bucket and where it starts (epoch ms). */
export interface TimedBucket {
  start: number;
  bucket: RollupBucket;
}
