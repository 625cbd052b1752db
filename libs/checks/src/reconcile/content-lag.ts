import type { ContentValidators } from '../verdict/verdict';
import type { RegionRead } from './region-reading';

/**
 * How far `Last-Modified` may trail the newest one seen before a region counts as lagging, unless
 * the monitor's `reconcile.lastModifiedSkewSeconds` says otherwise. Origins behind one name are
 * often deployed a little apart, and a cache fresh by its own rules may trail by its lifetime; a
 * stale edge trails by hours. Five minutes keeps the first two quiet.
 */
export const LAST_MODIFIED_TOLERANCE_SECONDS = 300;

/** Which validator showed the lag. */
export type LagValidator = 'version' | 'lastModified' | 'etag';

/** One region whose content lags what the other regions serve in the same round. */
export interface ContentLag {
  region: string;
  validator: LagValidator;
  /** What this region serves, e.g. `1.4.2`. */
  seen: string;
  /** What the others serve: the newest (`version`, `lastModified`) or the value a majority agrees on (opaque versions, `etag`). */
  expected: string;
  /** The regions serving `expected`, sorted. */
  aheadRegions: string[];
  /** For `lastModified`: seconds behind the newest. */
  behindSeconds?: number;
}

/**
 * The regions whose content lags the others, by the first validator that shows it, in order:
 *
 * - `version`: dotted numeric versions (`1.4.2`, `v2.10`) compare numerically, and every region
 *   older than the newest lags. Any other version (a commit hash, a build id) has no order: a region
 *   lags when a strict majority of the others, at least two, agree on another value.
 * - `lastModified`: a region older than the newest by more than `toleranceSeconds`
 *   ({@link LAST_MODIFIED_TOLERANCE_SECONDS} unless told).
 * - `etag`: only for an answer that came from a cache (origins behind one name may tag the same
 *   content differently, but one cache's copy differing from what the majority agrees on is an old
 *   copy), by the majority rule of opaque versions.
 *
 * Only `candidates` are compared (reconcile passes the answering regions that are not down), and
 * of those only the ones that carry the validator: a region without it is never said to lag.
 * Pure and deterministic; the result is sorted by region.
 */
export function findContentLag(candidates: readonly RegionRead[], toleranceSeconds = LAST_MODIFIED_TOLERANCE_SECONDS): ContentLag[] {
  const lags = new Map<string, ContentLag>();
  const add = (found: ContentLag[]) => {
    for (const lag of found) if (!lags.has(lag.region)) lags.set(lag.region, lag);
  };
  add(versionLag(valuesOf(candidates, 'version')));
  add(lastModifiedLag(valuesOf(candidates, 'lastModified'), toleranceSeconds));
  add(majorityLag(etagsOf(candidates.filter(fromCache)), 'etag', etagsOf(candidates)));
  return [...lags.values()].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
}

/** `[region, value]` of the regions that carry the validator (non-empty), in region order. */
function valuesOf(reads: readonly RegionRead[], name: keyof ContentValidators): Array<[string, string]> {
  return reads.flatMap((r) => {
    const value = r.verdict.evidence?.content?.[name];
    return typeof value === 'string' && value.trim() !== '' ? [[r.region, value.trim()] as [string, string]] : [];
  });
}

/**
 * ETags compared weakly (RFC 9110 §8.8.3.2): `W/"abc"` and `"abc"` name the same content, as a
 * cache that compresses a copy often marks it.
 */
function etagsOf(reads: readonly RegionRead[]): Array<[string, string]> {
  return valuesOf(reads, 'etag').map(([region, etag]) => [region, etag.replace(/^W\//i, '')]);
}

const NUMERIC_VERSION = /^v?(\d+(?:\.\d+)*)$/i;

function versionLag(values: Array<[string, string]>): ContentLag[] {
  if (values.length < 2) return [];
  const parsed = values.map(([region, value]) => ({ region, value, parts: NUMERIC_VERSION.exec(value)?.[1]?.split('.').map(Number) }));
  if (!parsed.every((p) => p.parts !== undefined)) return majorityLag(values, 'version', values);
  const newest = parsed.reduce((best, p) => (compareParts(p.parts!, best.parts!) > 0 ? p : best));
  const ahead = parsed.filter((p) => compareParts(p.parts!, newest.parts!) === 0).map((p) => p.region);
  return parsed
    .filter((p) => compareParts(p.parts!, newest.parts!) < 0)
    .map((p) => ({ region: p.region, validator: 'version' as const, seen: p.value, expected: newest.value, aheadRegions: ahead }));
}

/** `1.5` equals `1.5.0`; `1.10` is newer than `1.9`. */
function compareParts(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function lastModifiedLag(values: Array<[string, string]>, toleranceSeconds: number): ContentLag[] {
  const dated = values.map(([region, value]) => ({ region, value, at: Date.parse(value) })).filter((d) => Number.isFinite(d.at));
  if (dated.length < 2) return [];
  const newest = dated.reduce((best, d) => (d.at > best.at ? d : best));
  const ahead = dated.filter((d) => d.at === newest.at).map((d) => d.region);
  return dated
    .filter((d) => newest.at - d.at > toleranceSeconds * 1000)
    .map((d) => ({
      region: d.region,
      validator: 'lastModified' as const,
      seen: d.value,
      expected: newest.value,
      aheadRegions: ahead,
      behindSeconds: Math.round((newest.at - d.at) / 1000),
    }));
}

/**
 * Opaque values have no order, so the lagging side is the one outvoted: `subject` lags when more
 * than half of the other regions of `electorate`, and at least two, agree on another value. Two
 * regions that disagree name nobody: there is no telling which is behind.
 */
function majorityLag(subjects: Array<[string, string]>, validator: LagValidator, electorate: Array<[string, string]>): ContentLag[] {
  return subjects.flatMap(([region, value]) => {
    const others = electorate.filter(([other]) => other !== region);
    const votes = new Map<string, string[]>();
    for (const [other, v] of others) votes.set(v, [...(votes.get(v) ?? []), other]);
    for (const [v, regions] of votes) {
      if (v !== value && regions.length >= 2 && regions.length * 2 > others.length) {
        return [{ region, validator, seen: value, expected: v, aheadRegions: [...regions].sort() }];
      }
    }
    return [];
  });
}

function fromCache(read: RegionRead): boolean {
  return read.verdict.evidence?.cache.hit === true || read.reading === 'cached_unverified';
}
