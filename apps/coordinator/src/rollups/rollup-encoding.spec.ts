import { describe, expect, it } from 'vitest';
import type { RegionReport } from '../results/round';
import { addBucket, emptyBucket } from './rollup-bucket';
import { decodeBucket, decodeChunk, decodeOpenBucket, encodeBucket } from './rollup-encoding';
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
  it('writes a healthy round of three regions compactly', () => {
    const round = roundRollup({ regions: { 'eu-west': up(120), 'us-east': up(95), 'ap-south': missing }, classification: 'operational', intervalSeconds: 30, incidentOpen: false });
    expect(encodeBucket(round)).toBe('1,1,,,,,,30|ap-south=,,,1,|eu-west=1,,,,120,27:1|us-east=1,,,,95,25:1');
  });

  it('reads back what it writes, merged buckets included', () => {
    const bucket = emptyBucket();
    addBucket(bucket, roundRollup({ regions: { eu: up(120), us: up(0) }, classification: 'operational', intervalSeconds: 30, incidentOpen: false }));
    addBucket(bucket, roundRollup({ regions: { eu: up(3_000), us: missing }, classification: 'unknown', intervalSeconds: 30, incidentOpen: true }));
    addBucket(bucket, roundRollup({ regions: { eu: missing, us: missing, ap: up(7) }, classification: 'outage', intervalSeconds: 10, incidentOpen: true }));
    expect(decodeBucket(encodeBucket(bucket))).toEqual(bucket);
    expect(bucket).toMatchObject({ rounds: 3, incidentSeconds: 40 });
    // A latency of 0 ms is a latency: kept apart from none by the histogram.
    expect(decodeBucket(encodeBucket(bucket)).regions.get('us')).toMatchObject({ up: 1, missing: 2, latencyMaxMs: 0, latency: new Map([[0, 1]]) });
  });

  it('reads an open bucket and a chunk whose regions are numbered by its first line', () => {
    expect(decodeOpenBucket('1764000000000 2,2,,,,,,60|eu=2,,,,130,27:2')).toMatchObject({ start: 1_764_000_000_000, bucket: { rounds: 2 } });
    const tier = ROLLUP_TIERS.minute;
    const chunk = 490_000;
    const buckets = decodeChunk('eu,us\n0 1,1,,,,,,30|0=1,,,,12,14:1|1=,,,1,\n59 1,,,,,,1,,,,,,30|1=,,,1,', tier, chunk);
    expect(buckets.map((b) => b.start)).toEqual([chunk * tier.chunkMs, chunk * tier.chunkMs + 59 * 60_000]);
    expect([...buckets[0]!.bucket.regions.keys()]).toEqual(['eu', 'us']);
    expect(buckets[1]!.bucket.classifications.unknown).toEqual({ rounds: 1, seconds: 30 });
    expect(buckets[1]!.bucket.regions.get('us')?.missing).toBe(1);
  });
});
