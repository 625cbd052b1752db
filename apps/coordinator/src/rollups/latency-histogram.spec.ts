import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, latencyBucketOf, latencyBucketValue, latencyPercentile, type LatencyCounts } from './latency-histogram';

function histogramOf(latencies: readonly number[]): LatencyCounts {
  const counts: LatencyCounts = new Map();
  for (const ms of latencies) counts.set(latencyBucketOf(ms), (counts.get(latencyBucketOf(ms)) ?? 0) + 1);
  return counts;
}

describe('latency histogram', () => {
  it.each([
    { ms: 0, bucket: 0 },
    { ms: 0.4, bucket: 0 },
    { ms: 1, bucket: 1 },
    { ms: 1.19, bucket: 1 },
    { ms: 1.2, bucket: 2 },
    { ms: 120, bucket: 27 },
    { ms: 10_000, bucket: 51 },
    { ms: 110_000, bucket: 64 },
    { ms: 120_000, bucket: LATENCY_BUCKETS - 1 },
    { ms: 3_600_000, bucket: LATENCY_BUCKETS - 1 },
    { ms: Number.NaN, bucket: 0 },
  ])('puts $ms ms in bucket $bucket', ({ ms, bucket }) => {
    expect(latencyBucketOf(ms)).toBe(bucket);
  });

  it('stands for every latency within 1.2^±0.5 of it (about ±10 %), and small ones exactly', () => {
    for (let ms = 1; ms <= 120_000; ms = Math.ceil(ms * 1.01)) {
      const value = latencyBucketValue(latencyBucketOf(ms));
      // The geometric middle, then rounded to whole ms: half a ms more slack.
      expect(Math.abs(value - ms)).toBeLessThanOrEqual(ms * (Math.sqrt(1.2) - 1) + 0.5);
    }
    for (const ms of [1, 2, 3, 4]) expect(latencyBucketValue(latencyBucketOf(ms))).toBe(ms);
  });

  it.each([
    { name: 'empty', latencies: [], p: 50, max: 0, expected: null },
    { name: 'one check', latencies: [120], p: 95, max: 120, expected: 120 },
    // Nearest rank: the 2nd of 4 for p50, the 4th for p95.
    { name: 'p50 of four', latencies: [10, 20, 300, 400], p: 50, max: 400, expected: 20 },
    { name: 'p95 of four', latencies: [10, 20, 300, 400], p: 95, max: 400, expected: 400 },
    // 30 at 100 ms, 10 at 1000 ms: p50 is 100, p95 (38th of 40) is 1000, within a bucket.
    { name: 'a bimodal window', latencies: [...Array(30).fill(100), ...Array(10).fill(1_000)], p: 95, max: 1_000, expected: 1_000 },
    { name: 'never above the maximum', latencies: [119], p: 50, max: 119, expected: 119 },
  ])('percentile: $name', ({ latencies, p, max, expected }) => {
    const value = latencyPercentile(histogramOf(latencies), p, max);
    if (expected === null || value === null) expect(value).toBe(expected);
    else expect(Math.abs(value - expected)).toBeLessThanOrEqual(expected * 0.1);
  });

  it('merges: the percentile of two histograms added is the percentile of all their latencies', () => {
    const a = [12, 15, 18, 250, 300];
    const b = [14, 16, 900, 1_000, 1_100, 1_200];
    const merged = histogramOf(a);
    for (const [index, count] of histogramOf(b)) merged.set(index, (merged.get(index) ?? 0) + count);
    expect(latencyPercentile(merged, 50, 1_200)).toBe(latencyPercentile(histogramOf([...a, ...b]), 50, 1_200));
    expect(latencyPercentile(merged, 95, 1_200)).toBe(latencyPercentile(histogramOf([...a, ...b]), 95, 1_200));
  });
});
