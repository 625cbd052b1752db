/**
 * A sparse, log-bucketed histogram of latencies (ms): bucket 0 holds what is under 1 ms, bucket
 * `k ≥ 1` holds `[1.2^(k-1), 1.2^k)`, and the last one ({@link LATENCY_BUCKETS} - 1, from about 117 s)
 * everything above. Counts add, so histograms merge exactly across buckets and tiers: a percentile
 * over a year is that of every check in it, to the width of one bucket.
 *
 * A percentile is reported as its bucket's geometric middle, `1.2^(k-0.5)`, which is within
 * `1.2^±0.5` (−8.7 %, +9.5 %) of the true value, then rounded to whole ms (below ~5 ms the buckets
 * are narrower than 1 ms, so small latencies come back exact), and never above the exact maximum.
 */
export const LATENCY_GROWTH = 1.2;
/** Buckets 0..65: 1.2^64 ≈ 117 s, beyond any probe's timeout. */
export const LATENCY_BUCKETS = 66;

const LOG_GROWTH = Math.log(LATENCY_GROWTH);

/** Bucket counts by bucket index; absent buckets are empty. */
export type LatencyCounts = Map<number, number>;

/** The bucket of a latency of `ms` milliseconds. */
export function latencyBucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(LATENCY_BUCKETS - 1, Math.floor(Math.log(ms) / LOG_GROWTH) + 1);
}

/** The value a bucket stands for: its geometric middle, in whole ms (0 for bucket 0). */
export function latencyBucketValue(index: number): number {
  return index <= 0 ? 0 : Math.round(LATENCY_GROWTH ** (index - 0.5));
}

/** Adds `from`'s counts into `into`. */
export function addLatencyCounts(into: LatencyCounts, from: ReadonlyMap<number, number>): void {
  for (const [index, count] of from) into.set(index, (into.get(index) ?? 0) + count);
}

/** How many latencies the histogram holds. */
export function latencyTotal(counts: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

/**
 * The `p`-th percentile (0 < p ≤ 100) by nearest rank: the value of the bucket holding the
 * `ceil(p/100 × n)`-th smallest latency, at most `max`. `null` for an empty histogram.
 */
export function latencyPercentile(counts: ReadonlyMap<number, number>, p: number, max: number): number | null {
  const total = latencyTotal(counts);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const index of [...counts.keys()].sort((a, b) => a - b)) {
    seen += counts.get(index) ?? 0;
    if (seen >= rank) return Math.min(latencyBucketValue(index), max);
  }
  return max;
}
