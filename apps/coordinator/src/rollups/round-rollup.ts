import type { Classification } from '@crosscheck/checks';
import type { RegionReport } from '../results/round';
import { latencyBucketOf } from './latency-histogram';
import { emptyBucket, emptyRegionRollup, type RollupBucket } from './rollup-bucket';

/** Everything a round's rollup is computed from. */
export interface RoundRollupInput {
  /** The round's regions, each with its report (missing ones included). */
  regions: Readonly<Record<string, RegionReport>>;
  /** What reconciling the round concluded. */
  classification: Classification;
  /** The monitor's interval: the time this round stands for. */
  intervalSeconds: number;
  /** Whether an incident is open after the round's transition. */
  incidentOpen: boolean;
  /** Whether the round fell in a maintenance window of its monitor. */
  inMaintenance?: boolean;
}

/**
 * The rollup of one round: a bucket of one round, which the commit adds into the open bucket of
 * every tier. Pure: replicas computing the same round compute the same delta.
 *
 * A region's latency is its probe's total time (`evidence.totalMs`), counted when the check got a
 * response: a probe error (timeout, refused connection, DNS) has a duration, not a latency, and a
 * missing region has neither.
 */
export function roundRollup(input: RoundRollupInput): RollupBucket {
  const bucket = emptyBucket();
  bucket.rounds = 1;
  bucket.classifications[input.classification] = { rounds: 1, seconds: input.intervalSeconds };
  bucket.incidentSeconds = input.incidentOpen ? input.intervalSeconds : 0;
  if (input.inMaintenance) {
    const decided = input.classification !== 'unknown';
    const up = input.classification === 'operational' || input.classification === 'degraded';
    bucket.maintenance = { decided: decided ? 1 : 0, up: up ? 1 : 0, degraded: input.classification === 'degraded' ? 1 : 0, seconds: input.intervalSeconds };
  }
  for (const name of Object.keys(input.regions).sort()) {
    const report = input.regions[name]!;
    const region = emptyRegionRollup();
    region[report.status] = 1;
    const latency = latencyOf(report);
    if (latency !== null) {
      region.latencyMaxMs = latency;
      region.latency.set(latencyBucketOf(latency), 1);
    }
    bucket.regions.set(name, region);
  }
  return bucket;
}

/** The probe's total time of a check that got a response (ms, whole), else `null`. */
export function latencyOf(report: RegionReport): number | null {
  const evidence = report.evidence;
  if (report.status === 'missing' || evidence === null || evidence.probeError !== undefined || evidence.httpStatus === null) return null;
  return Number.isFinite(evidence.totalMs) && evidence.totalMs >= 0 ? Math.round(evidence.totalMs) : null;
}
