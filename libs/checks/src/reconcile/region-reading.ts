import type { Cause } from '../verdict/verdict';
import type { RegionVerdict } from './round-verdicts';

/**
 * How reconcile reads one region's answer, before comparing regions:
 *
 * - `missing`: no answer. Never counts as down.
 * - `refused`: the agent refused to probe the target (`blocked_target` was its only reason for
 *   `down`): a fact about the agent's address policy, not about the target, so it is blind like
 *   `missing`.
 * - `down_behind_cache`: down only because of `stale_cache`: users got a cached answer while the
 *   cache-bypassing request saw the origin fail.
 * - `down_direct`: down with fresh evidence (a refused connection, a 5xx, a proxy's error page,
 *   a failed assertion, ...).
 * - `cached_unverified`: up or degraded, but what users got came from a cache and nothing vouched
 *   for the origin behind it: no bypass request, one that proved nothing (`bypass_inconclusive`),
 *   or frozen content (`stale_cache` with `frozen`: a cache keyed on the path only hands the bypass
 *   the same old copy, so its 200 says nothing about the origin).
 * - `fresh`: up or degraded, and the answer reflects the origin: not from a cache, or from a cache
 *   whose origin a bypass request found healthy.
 */
export type RegionReading = 'missing' | 'refused' | 'down_behind_cache' | 'down_direct' | 'cached_unverified' | 'fresh';

/** One region of a round with its verdict and how it was read. */
export interface RegionRead {
  region: string;
  verdict: RegionVerdict;
  reading: RegionReading;
}

/** Reads one region's answer. The verdict's status is authoritative; its causes only say which kind. */
export function readRegion(verdict: RegionVerdict): RegionReading {
  if (verdict.status === 'missing') return 'missing';
  if (verdict.status === 'down') {
    const reasons = verdict.causes.filter((cause) => cause.severity === 'down');
    if (reasons.length > 0 && reasons.every((cause) => cause.code === 'blocked_target')) return 'refused';
    if (reasons.length > 0 && reasons.every((cause) => cause.code === 'stale_cache')) return 'down_behind_cache';
    return 'down_direct';
  }
  return servedFromCache(verdict) && !bypassVouches(verdict) ? 'cached_unverified' : 'fresh';
}

/** The answer came from a cache, by the headers or by the cache detector's own causes. */
function servedFromCache(verdict: RegionVerdict): boolean {
  return verdict.evidence?.cache.hit === true || verdict.causes.some((cause) => cause.code === 'cached_response' || cause.code === 'stale_cache');
}

/**
 * A bypass request reached an answer that the verdict did not call down. (Had it been down, the
 * cache detector would have said `stale_cache` and the verdict would be down.) `bypass_inconclusive`
 * means the site rejected the bypass's query parameter: that vouches for nothing.
 */
function bypassVouches(verdict: RegionVerdict): boolean {
  if (verdict.causes.some((cause) => cause.code === 'bypass_inconclusive' || (cause.code === 'stale_cache' && cause.evidence['frozen'] === true))) return false;
  if (typeof verdict.evidence?.bypassStatus === 'number') return true;
  return verdict.causes.some((cause: Cause) => cause.code === 'cached_response' && typeof cause.evidence['bypassStatus'] === 'number');
}
