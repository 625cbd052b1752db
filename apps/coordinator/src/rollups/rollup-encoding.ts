import { CLASSIFICATIONS } from '@crosscheck/checks';
import { emptyBucket, emptyRegionRollup, type RollupBucket, type TimedBucket } from './rollup-bucket';
import type { RollupTier } from './rollup-tiers';

/**
 * The text a bucket is stored as, written here and by the commit script's Lua
 * (`rollup-merge.lua.ts`), which merges and moves buckets without knowing what the numbers mean:
 *
 *     body     = totals ( "|" region-key "=" region )*
 *     totals   = rounds, then rounds per classification (6), seconds per classification (6),
 *                incident seconds: comma-separated, 0 written as nothing, trailing zeros dropped
 *     region   = up "," degraded "," down "," missing "," latency-max ( "," index ":" count )*
 *
 * Classifications in `CLASSIFICATIONS` order; histogram indexes ascending (`latency-histogram.ts`).
 * A round of three healthy regions at 30 s is `1,1,,,,,,30|eu=1,,,,120,27:1|...`.
 *
 * Where a bucket lives:
 * - the **open** bucket of each tier (the one the latest round fell in) is a field of the monitor's
 *   open hash, `<start ms> <body>` with region names as keys: the commit merges each round into it;
 * - a **closed** bucket (a later round fell in a later bucket) is a line of its chunk's string,
 *   `<offset> <body>`, with the region's index in the chunk's first line (region names, comma-separated)
 *   as its key, and the offset in buckets from the chunk's start: a chunk is
 *   `eu,us\n0 <body>\n1 <body>...`, written once per closed bucket, read by the API.
 *
 * Region names never hold `|`, `=`, `,`, `:` or whitespace (`regionNameSchema`).
 */
const TOTALS = 1 + 2 * CLASSIFICATIONS.length + 1;

/** A bucket's body, keyed by region name (`keyOf` turns a name into another key, e.g. an index). */
export function encodeBucket(bucket: RollupBucket, keyOf: (name: string) => string = (name) => name): string {
  const totals = [bucket.rounds];
  for (const classification of CLASSIFICATIONS) totals.push(bucket.classifications[classification].rounds);
  for (const classification of CLASSIFICATIONS) totals.push(bucket.classifications[classification].seconds);
  totals.push(bucket.incidentSeconds);
  while (totals.length > 0 && totals[totals.length - 1] === 0) totals.pop();
  const parts = [totals.map(number).join(',')];
  for (const [name, region] of bucket.regions) {
    const items = [region.up, region.degraded, region.down, region.missing, region.latency.size > 0 ? region.latencyMaxMs : 0].map(number);
    for (const index of [...region.latency.keys()].sort((a, b) => a - b)) items.push(`${index}:${region.latency.get(index) ?? 0}`);
    parts.push(`${keyOf(name)}=${items.join(',')}`);
  }
  return parts.join('|');
}

/** Reads a body written by {@link encodeBucket} or the commit script; `nameOf` maps a region key back to its name. */
export function decodeBucket(body: string, nameOf: (key: string) => string = (key) => key): RollupBucket {
  const bucket = emptyBucket();
  const [totalsPart = '', ...regionParts] = body.split('|');
  const totals = totalsPart.split(',').map(count);
  while (totals.length < TOTALS) totals.push(0);
  bucket.rounds = totals[0]!;
  CLASSIFICATIONS.forEach((classification, i) => {
    bucket.classifications[classification] = { rounds: totals[1 + i]!, seconds: totals[1 + CLASSIFICATIONS.length + i]! };
  });
  bucket.incidentSeconds = totals[TOTALS - 1]!;
  for (const part of regionParts) {
    const equals = part.indexOf('=');
    const region = emptyRegionRollup();
    const items = part.slice(equals + 1).split(',');
    [region.up, region.degraded, region.down, region.missing, region.latencyMaxMs] = [0, 1, 2, 3, 4].map((i) => count(items[i] ?? '')) as [number, number, number, number, number];
    for (const item of items.slice(5)) {
      const [index, n] = item.split(':');
      if (index === undefined || n === undefined) continue;
      region.latency.set(Number(index), (region.latency.get(Number(index)) ?? 0) + count(n));
    }
    bucket.regions.set(nameOf(part.slice(0, equals)), region);
  }
  return bucket;
}

/** The open bucket of a tier as its hash field holds it: `<start ms> <body>`. */
export function decodeOpenBucket(value: string): TimedBucket {
  const space = value.indexOf(' ');
  return { start: Number(value.slice(0, space)), bucket: decodeBucket(value.slice(space + 1)) };
}

/** Every bucket of a chunk of `tier` (its number in `chunk`), oldest first. */
export function decodeChunk(value: string, tier: RollupTier, chunk: number): TimedBucket[] {
  const [header = '', ...records] = value.split('\n');
  const names = header === '' ? [] : header.split(',');
  const chunkStart = chunk * tier.chunkMs;
  return records.map((record) => {
    const space = record.indexOf(' ');
    const offset = Number(record.slice(0, space));
    return { start: chunkStart + offset * tier.bucketMs, bucket: decodeBucket(record.slice(space + 1), (key) => names[Number(key)] ?? `#${key}`) };
  });
}

function number(value: number): string {
  return value === 0 ? '' : String(value);
}

function count(text: string): number {
  return text === '' ? 0 : Number(text);
}
