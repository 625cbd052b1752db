import type { ContentLag } from './content-lag';
import { freshnessWords, lagWords } from './reconcile-reason';
import type { RegionRead } from './region-reading';

/**
 * Whether an answer nothing verified could be hiding a failing origin, and the evidence in words.
 *
 * - `stale`: it shows staleness: its content lags the other regions', the content froze
 *   (`stale_cache` with `frozen`), the cache admits stale content (any other `stale_cache`), or
 *   RFC 9111 says it is past its lifetime (`stale`, or `stale_if_error`: a cache that serves stale
 *   *because* the origin errs is the very thing to catch).
 * - `unknown`: no freshness reading, or one without a lifetime: nothing to go on, so it may hide
 *   the origin (reconcile's behaviour before freshness was read).
 * - `fresh`: fresh by RFC 9111 (`fresh`, or inside `stale-while-revalidate`, where the cache is
 *   refreshing in the background) and not lagging: a cache doing its job, not hiding anything.
 */
export interface CachedAnswer {
  state: 'stale' | 'unknown' | 'fresh';
  /** `served 1840 s past its 60 s lifetime`, `content frozen 4 rounds`, `fresh (age 12 s of 60 s)`. */
  why: string;
}

/** Reads one answering region's cached (or lagging) answer. `lag` is the region's entry from `findContentLag`, if any. */
export function readCachedAnswer(read: RegionRead, lag: ContentLag | undefined): CachedAnswer {
  if (lag !== undefined) return { state: 'stale', why: lagWords(lag) };
  const stale = read.verdict.causes.find((cause) => cause.code === 'stale_cache');
  if (stale?.evidence['frozen'] === true) {
    const rounds = stale.evidence['unchangedRounds'];
    return { state: 'stale', why: `content frozen${typeof rounds === 'number' ? ` ${rounds} rounds` : ''}` };
  }
  if (stale !== undefined) return { state: 'stale', why: 'the cache says the content is stale' };
  const freshness = read.verdict.evidence?.cache.freshness;
  const why = freshnessWords(freshness);
  if (freshness === undefined || freshness.state === 'unknown') return { state: 'unknown', why };
  if (freshness.state === 'stale' || freshness.state === 'stale_if_error') return { state: 'stale', why };
  return { state: 'fresh', why };
}
