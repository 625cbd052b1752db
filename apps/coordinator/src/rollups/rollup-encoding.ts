import { CLASSIFICATIONS } from '@crosscheck/checks';
import { addBucket, emptyBucket, emptyRegionRollup, type RegionRollup, type RollupBucket, type TimedBucket } from './rollup-bucket';
import type { RollupTier } from './rollup-tiers';

/**
 * How buckets are kept, written by the commit script's Lua (`rollup-merge.lua.ts`) and read here.
 *
 * A round's **delta** is JSON, which Lua's `cjson` reads at C speed ({@link encodeDelta}):
 *
 *     {"t": [<totals>], "r": {"<region>": {"c": [up, degraded, down, missing, latency max], "h": {"<bucket>": <count>}}}}
 *
 * `t` is rounds, then rounds per classification (6, in `CLASSIFICATIONS` order), seconds per
 * classification (6), incident seconds, then the rounds in maintenance (decided, up, degraded, seconds:
 * buckets written before maintenance windows existed lack them, and read as 0); `h` the latency histogram (`latency-histogram.ts`).
 *
 * A **chunk** (a tier's closed buckets: an hour of minutes, a day of hours, 32 days) is compact text,
 * nearly all of the memory. Its first line names its regions (comma-separated); each later line is
 * a bucket,
 *
 *     <offset> <totals> ( "|" <region number> "=" <up>,<degraded>,<down>,<missing>,<latency max> ( "," <run> )* )*
 *
 * with `offset` in buckets from the chunk's start, totals comma-separated (0 written as nothing,
 * trailing zeros dropped), and the histogram as runs of consecutive buckets, `<first>:<count>:<count>...`
 * (an empty count is 0). A minute of two rounds of three healthy regions at 30 s:
 * `0 2,2,,,,,,60|0=2,,,,131,27:1:1|1=2,,,,95,25:2|2=2,,,,240,30:1:::1`.
 *
 * What is still being filled: the open minute, its start (field `m` of the open hash) and its
 * rounds' deltas (its log, `<delta>;<delta>...`); the open hour and the open day, their start and
 * regions (fields `h`, `d`: `<start ms>\n<regions>`) and the lines of the chunk each will become
 * (their logs: the hour's closed minutes, the day's closed hours).
 *
 * Region names never hold `|`, `=`, `,`, `:`, `;`, `"` or whitespace (`regionNameSchema`).
 */
const INCIDENT_SECONDS = 1 + 2 * CLASSIFICATIONS.length;
const TOTALS = INCIDENT_SECONDS + 1 + 4;

/** A round's delta. */
interface BucketJson {
  t: number[];
  r: Record<string, { c: number[]; h: Record<string, number> }>;
}

/** A round's rollup as the commit script takes it: the open buckets' JSON, without a start. */
export function encodeDelta(bucket: RollupBucket): string {
  const t = [bucket.rounds];
  for (const classification of CLASSIFICATIONS) t.push(bucket.classifications[classification].rounds);
  for (const classification of CLASSIFICATIONS) t.push(bucket.classifications[classification].seconds);
  t.push(bucket.incidentSeconds);
  // Left out when zero (nearly always): the script adds totals by position and reads absent ones as 0.
  const maintenance = [bucket.maintenance.decided, bucket.maintenance.up, bucket.maintenance.degraded, bucket.maintenance.seconds];
  if (maintenance.some((n) => n !== 0)) t.push(...maintenance);
  const r: BucketJson['r'] = {};
  for (const [name, region] of bucket.regions) {
    r[name] = {
      c: [region.up, region.degraded, region.down, region.missing, region.latency.size > 0 ? region.latencyMaxMs : 0],
      h: Object.fromEntries([...region.latency].map(([index, count]) => [String(index), count])),
    };
  }
  return JSON.stringify({ t, r } satisfies BucketJson);
}

/** A round's delta, as {@link encodeDelta} wrote it. */
export function decodeDelta(json: string): RollupBucket {
  const parsed = JSON.parse(json) as BucketJson;
  const bucket = bucketOfTotals(parsed.t);
  for (const [name, { c, h }] of Object.entries(parsed.r)) {
    const region = regionOf(c);
    for (const [index, n] of Object.entries(h)) region.latency.set(Number(index), n);
    bucket.regions.set(name, region);
  }
  return bucket;
}

/** The open minute: its start (the `m` field of the open hash) and its log of deltas, summed. */
export function decodeOpenMinute(start: string, log: string): TimedBucket {
  const bucket = emptyBucket();
  for (const delta of log.split(';')) if (delta !== '') addBucket(bucket, decodeDelta(delta));
  return { start: Number(start), bucket };
}

/**
 * The open hour or day: its field of the open hash (`<start ms>\n<regions>`) and its log of lines,
 * the buckets of the chunk of `tier` it will become.
 */
export function decodeOpenChunk(field: string, lines: string, tier: RollupTier): TimedBucket[] {
  const newline = field.indexOf('\n');
  const start = Number(field.slice(0, newline));
  return decodeChunk(`${field.slice(newline + 1)}\n${lines}`, tier, Math.floor(start / tier.chunkMs));
}

/** Every bucket of a chunk of `tier` (its number in `chunk`), in the order written (oldest first). */
export function decodeChunk(value: string, tier: RollupTier, chunk: number): TimedBucket[] {
  const [header = '', ...records] = value.split('\n');
  const names = header === '' ? [] : header.split(',');
  const chunkStart = chunk * tier.chunkMs;
  return records.map((record) => {
    const space = record.indexOf(' ');
    return { start: chunkStart + Number(record.slice(0, space)) * tier.bucketMs, bucket: decodeRecord(record.slice(space + 1), names) };
  });
}

/** A closed bucket's text (after its offset); region keys are indexes into `names`. */
export function decodeRecord(body: string, names: readonly string[]): RollupBucket {
  const [totals = '', ...regionParts] = body.split('|');
  const bucket = bucketOfTotals(totals.split(',').map(count));
  for (const part of regionParts) {
    const equals = part.indexOf('=');
    const items = part.slice(equals + 1).split(',');
    const region = regionOf(items.slice(0, 5).map(count));
    for (const run of items.slice(5)) {
      const [first, ...counts] = run.split(':');
      counts.forEach((n, i) => {
        if (n !== '') region.latency.set(Number(first) + i, count(n));
      });
    }
    const key = part.slice(0, equals);
    bucket.regions.set(names[Number(key)] ?? `#${key}`, region);
  }
  return bucket;
}

function bucketOfTotals(values: readonly number[]): RollupBucket {
  const t = [...values];
  while (t.length < TOTALS) t.push(0);
  const bucket = emptyBucket();
  bucket.rounds = t[0]!;
  CLASSIFICATIONS.forEach((classification, i) => {
    bucket.classifications[classification] = { rounds: t[1 + i]!, seconds: t[1 + CLASSIFICATIONS.length + i]! };
  });
  bucket.incidentSeconds = t[INCIDENT_SECONDS]!;
  bucket.maintenance = { decided: t[INCIDENT_SECONDS + 1]!, up: t[INCIDENT_SECONDS + 2]!, degraded: t[INCIDENT_SECONDS + 3]!, seconds: t[INCIDENT_SECONDS + 4]! };
  return bucket;
}

function regionOf(c: readonly number[]): RegionRollup {
  const region = emptyRegionRollup();
  [region.up, region.degraded, region.down, region.missing, region.latencyMaxMs] = [0, 1, 2, 3, 4].map((i) => c[i] ?? 0) as [number, number, number, number, number];
  return region;
}

function count(text: string): number {
  return text === '' ? 0 : Number(text);
}
