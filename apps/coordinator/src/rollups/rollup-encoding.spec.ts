import { describe, expect, it } from 'vitest';
import type { RegionReport } from '../results/round';
import { latencyBucketOf } from './latency-histogram';
import { addBucket, emptyBucket } from './rollup-bucket';
import { decodeChunk, decodeOpenChunk, decodeOpenMinute, decodeRecord, encodeDelta } from './rollup-encoding';
import { ROLLUP_TIERS } from './rollup-tiers';
import { roundRollup } from './round-rollup';

const up = (totalMs: number): RegionReport => ({
  status: 'up',
  causes: [],
  evidence: { httpStatus: 200, finalUrl: 'https://x.test/', totalMs, redirects: 0, cache: { hit: false, signals: [] } },
  agentId: 'a',
  agentVersion: null,
  checkedAt: null,
});
const missing: RegionReport = { status: 'missing', causes: [], evidence: null, agentId: null, agentVersion: null, checkedAt: null };


describe('rollup encoding', () => {
  it('writes a round as JSON the commit script reads with cjson', () => {
    const round = roundRollup({ regions: { 'eu-west': up(120), 'ap-south': missing }, classification: 'operational', intervalSeconds: 30, incidentOpen: false });
    expect(JSON.parse(encodeDelta(round))).toEqual({
      t: [1, 1, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0],
      r: { 'ap-south': { c: [0, 0, 0, 1, 0], h: {} }, 'eu-west': { c: [1, 0, 0, 0, 120], h: { [String(latencyBucketOf(120))]: 1 } } },
    });
  });

  it('reads back the open minute: its deltas, summed', () => {
    const rounds = [
      roundRollup({ regions: { eu: up(120), us: up(0) }, classification: 'operational', intervalSeconds: 30, incidentOpen: false }),
      roundRollup({ regions: { eu: up(3_000), us: missing }, classification: 'unknown', intervalSeconds: 30, incidentOpen: true }),
      roundRollup({ regions: { eu: missing, us: missing, ap: up(7) }, classification: 'outage', intervalSeconds: 10, incidentOpen: true }),
    ];
    const bucket = emptyBucket();
    for (const round of rounds) addBucket(bucket, round);
    expect(decodeOpenMinute('1764000000000', rounds.map(encodeDelta).join(';'))).toEqual({ start: 1_764_000_000_000, bucket });
    expect(bucket).toMatchObject({ rounds: 3, incidentSeconds: 40 });
    // A latency of 0 ms is a latency: kept apart from none by the histogram.
    expect(bucket.regions.get('us')).toMatchObject({ up: 1, missing: 2, latencyMaxMs: 0, latency: new Map([[0, 1]]) });
  });

  it('reads the open hour: its start and regions, and the lines of the chunk of minutes it will become', () => {
    const hour = 1_764_000_000_000 - (1_764_000_000_000 % 3_600_000);
    const buckets = decodeOpenChunk(`${hour}\neu`, '3 1,1,,,,,,30|0=1,,,,12,14:1', ROLLUP_TIERS.minute);
    expect(buckets).toMatchObject([{ start: hour + 3 * 60_000, bucket: { rounds: 1 } }]);
  });

  it('reads a closed bucket: positional totals, regions by number, histogram runs with empty counts', () => {
    const bucket = decodeRecord('120,118,2,,,,,3540,60,,,,,90|1=118,2,,,261,25:3:8:17::5,31:2|0=,,,120,', ['ap', 'eu']);
    expect(bucket).toMatchObject({ rounds: 120, incidentSeconds: 90 });
    expect(bucket.classifications.operational).toEqual({ rounds: 118, seconds: 3_540 });
    expect(bucket.classifications.degraded).toEqual({ rounds: 2, seconds: 60 });
    expect(bucket.regions.get('eu')).toEqual({
      up: 118,
      degraded: 2,
      down: 0,
      missing: 0,
      latencyMaxMs: 261,
      latency: new Map([
        [25, 3],
        [26, 8],
        [27, 17],
        [29, 5],
        [31, 2],
      ]),
    });
    expect(bucket.regions.get('ap')).toMatchObject({ missing: 120, latency: new Map() });
  });

  it('reads a chunk: its regions first, then a bucket per line at its offset', () => {
    const tier = ROLLUP_TIERS.minute;
    const chunk = 490_000;
    const buckets = decodeChunk('eu,us\n0 1,1,,,,,,30|0=1,,,,12,14:1|1=,,,1,\n59 1,,,,,,1,,,,,,30|1=,,,1,', tier, chunk);
    expect(buckets.map((b) => b.start)).toEqual([chunk * tier.chunkMs, chunk * tier.chunkMs + 59 * 60_000]);
    expect([...buckets[0]!.bucket.regions.keys()]).toEqual(['eu', 'us']);
    expect(buckets[1]!.bucket.classifications.unknown).toEqual({ rounds: 1, seconds: 30 });
    expect(buckets[1]!.bucket.regions.get('us')?.missing).toBe(1);
  });
});

describe('rollup encoding of maintenance', () => {
  it('carries the rounds in a window after the other totals, and reads buckets without them as none', () => {
    const round = roundRollup({ regions: { 'eu-west': up(120) }, classification: 'degraded', intervalSeconds: 30, incidentOpen: false, inMaintenance: true });
    const delta = JSON.parse(encodeDelta(round)) as { t: number[] };
    expect(delta.t.slice(14)).toEqual([1, 1, 1, 30]);
    const old = decodeRecord('0 2,2,,,,,,60', []);
    expect(old.maintenance).toEqual({ decided: 0, up: 0, degraded: 0, seconds: 0 });
    const withWindow = decodeRecord('0 2,2,,,,,,60,,,,,,,1,1,,30', []);
    expect(withWindow.maintenance).toEqual({ decided: 1, up: 1, degraded: 0, seconds: 30 });
  });
});
