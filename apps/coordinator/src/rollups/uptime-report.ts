import { CLASSIFICATIONS, type Classification } from '@crosscheck/checks';
import {
  EXCLUDED_ROUNDS_REASON,
  type LatencySummary,
  type SeriesPoint,
  type SeriesReport,
  type SeriesStep,
  type UptimeReport,
  type UptimeWindow,
} from '@crosscheck/contract';
import { latencyPercentile } from './latency-histogram';
import { addBucket, emptyBucket, type RegionRollup, type RollupBucket, type TimedBucket } from './rollup-bucket';
import type { UptimeSpan } from './uptime-window';

/** Worst first: what a series point's `worst` picks among the classifications of its step. */
export const WORST_FIRST: readonly Classification[] = ['outage', 'masked_outage', 'regional_outage', 'degraded', 'unknown', 'operational'];

/**
 * How a bucket's rounds count: up (operational, degraded), down (the outages), excluded (unknown,
 * and every round in a maintenance window).
 */
export function roundCounts(bucket: RollupBucket): { counted: number; up: number; down: number; excluded: number } {
  const excluded = bucket.classifications.unknown.rounds + bucket.maintenance.decided;
  const counted = bucket.rounds - excluded;
  const up = bucket.classifications.operational.rounds + bucket.classifications.degraded.rounds - bucket.maintenance.up;
  return { counted, up, down: counted - up, excluded };
}

/**
 * The uptime of a window from the buckets of its span (every bucket starting in it): ratios over
 * the rounds counted (unknown ones excluded, and said so), minutes per classification and with an
 * incident open, and per region its checks, uptime and latency percentiles. Pure.
 */
export function uptimeReport(window: UptimeWindow, span: UptimeSpan, buckets: readonly TimedBucket[]): UptimeReport {
  const total = sum(buckets);
  const rounds = roundCounts(total);
  const classificationMinutes: UptimeReport['classificationMinutes'] = {};
  for (const classification of CLASSIFICATIONS) {
    const { rounds: seen, seconds } = total.classifications[classification];
    if (seen > 0) classificationMinutes[classification] = minutes(seconds);
  }
  const regions: UptimeReport['regions'] = {};
  for (const name of [...total.regions.keys()].sort()) {
    const region = total.regions.get(name)!;
    const counted = region.up + region.degraded + region.down;
    regions[name] = {
      uptimeRatio: ratio(region.up + region.degraded, counted),
      checks: { up: region.up, degraded: region.degraded, down: region.down, missing: region.missing },
      latencyMs: latencySummary(region),
    };
  }
  return {
    window,
    from: iso(span.from),
    to: iso(span.to),
    resolution: span.resolution,
    uptimeRatio: ratio(rounds.up, rounds.counted),
    degradedRatio: ratio(total.classifications.degraded.rounds - total.maintenance.degraded, rounds.counted),
    incidentMinutes: minutes(total.incidentSeconds),
    maintenanceMinutes: minutes(total.maintenance.seconds),
    rounds,
    excluded: { rounds: rounds.excluded, reason: EXCLUDED_ROUNDS_REASON },
    classificationMinutes,
    regions,
  };
}

/**
 * A window step by step from the buckets of its span: every step from `from` to `to`, oldest
 * first, empty ones with zeros and nulls, each listing every region seen in the window. Pure.
 */
export function seriesReport(window: UptimeWindow, step: SeriesStep, span: UptimeSpan & { stepMs: number }, buckets: readonly TimedBucket[]): SeriesReport {
  const names = new Set<string>();
  for (const { bucket } of buckets) for (const name of bucket.regions.keys()) names.add(name);
  const regionNames = [...names].sort();
  const steps = Math.round((span.to - span.from) / span.stepMs);
  const perStep = Array.from({ length: steps }, () => emptyBucket());
  for (const { start, bucket } of buckets) {
    const target = perStep[Math.floor((start - span.from) / span.stepMs)];
    if (target) addBucket(target, bucket);
  }
  return {
    window,
    step,
    from: iso(span.from),
    to: iso(span.to),
    resolution: span.resolution,
    points: perStep.map((bucket, i) => seriesPoint(span.from + i * span.stepMs, bucket, regionNames)),
  };
}

function seriesPoint(at: number, bucket: RollupBucket, regionNames: readonly string[]): SeriesPoint {
  const { counted, up, down, excluded } = roundCounts(bucket);
  const classifications: SeriesPoint['classifications'] = {};
  for (const classification of CLASSIFICATIONS) {
    const seen = bucket.classifications[classification].rounds;
    if (seen > 0) classifications[classification] = seen;
  }
  const regions: SeriesPoint['regions'] = {};
  for (const name of regionNames) {
    const region = bucket.regions.get(name);
    regions[name] = region
      ? { up: region.up, degraded: region.degraded, down: region.down, missing: region.missing, latencyMs: latencySummary(region) }
      : { up: 0, degraded: 0, down: 0, missing: 0, latencyMs: null };
  }
  return {
    at: iso(at),
    rounds: bucket.rounds,
    up,
    down,
    excluded,
    uptimeRatio: ratio(up, counted),
    incidentMinutes: minutes(bucket.incidentSeconds),
    maintenanceMinutes: minutes(bucket.maintenance.seconds),
    worst: WORST_FIRST.find((classification) => bucket.classifications[classification].rounds > 0) ?? null,
    classifications,
    regions,
  };
}

function latencySummary(region: RegionRollup): LatencySummary | null {
  const p50 = latencyPercentile(region.latency, 50, region.latencyMaxMs);
  const p95 = latencyPercentile(region.latency, 95, region.latencyMaxMs);
  return p50 === null || p95 === null ? null : { p50, p95, max: region.latencyMaxMs };
}

function sum(buckets: readonly TimedBucket[]): RollupBucket {
  const total = emptyBucket();
  for (const { bucket } of buckets) addBucket(total, bucket);
  return total;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Seconds as minutes, to the thousandth (a 10 s round is 0.167 min). */
function minutes(seconds: number): number {
  return Math.round((seconds / 60) * 1_000) / 1_000;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
