import type { Observation } from '../../observation/observation';
import type { CacheFacts, Freshness } from '../../verdict/verdict';
import { DATE_SKEW_TOLERANCE_SECONDS, readFreshness } from './freshness';

/**
 * Reads what a response's headers say about caching. Every CDN and cache says it its own way;
 * this gathers them into one judgement: was it a hit, how old is the content, and is the cache
 * itself admitting the content is stale (it could not revalidate with the origin).
 */
export interface CacheReading extends CacheFacts {
  /** The cache says outright that it served stale content (`X-Cache-Status: STALE`, `Warning: 110`, ...). */
  staleAdmitted: boolean;
  /** A cache or proxy is in the path (`Via`, `X-Served-By`, ...), hit or not. */
  intermediary: boolean;
}

const HIT_WORDS = /\b(?:hit|refreshhit|tcp_hit|tcp_mem_hit|tcp_refresh_hit|tcp_ims_hit|stale|updating|revalidated)\b/i;
const STALE_WORDS = /\b(?:stale|updating|tcp_stale_hit)\b/i;

/**
 * Reads cache evidence from response headers (lower-case names) against the probe's clock, with
 * the RFC 9111 freshness (`readFreshness`) when the headers carry caching information, or
 * `state: 'unknown'` for a hit that carries none. `status` is the response's (default 200).
 */
export function readCacheEvidence(headers: Readonly<Record<string, string>>, now: number, status = 200): CacheReading {
  const signals: string[] = [];
  let hit = false;
  let staleAdmitted = false;
  let intermediary = false;
  let ageSeconds: number | undefined;

  const age = headers['age'];
  if (age !== undefined) {
    const seconds = Number.parseInt(age, 10);
    if (Number.isFinite(seconds) && seconds >= 0) {
      ageSeconds = seconds;
      // `Age: 0` is a cache that just fetched; any positive age is content served from store.
      if (seconds > 0) hit = true;
      signals.push(`age: ${age}`);
    }
  }

  for (const name of ['x-cache', 'x-cache-status', 'cf-cache-status', 'x-proxy-cache', 'x-cache-lookup', 'x-fastcgi-cache', 'x-drupal-cache', 'x-vercel-cache', 'x-nf-cache-status']) {
    const value = headers[name];
    if (value === undefined) continue;
    intermediary = true;
    signals.push(`${name}: ${value}`);
    // Caches in a row (shield and edge) each add an entry: `MISS, HIT`. A hit at any of them
    // means the content came from a store, not from the origin just now.
    for (const entry of value.split(',')) {
      if (HIT_WORDS.test(entry) && !/\bmiss\b/i.test(entry)) hit = true;
      if (STALE_WORDS.test(entry)) staleAdmitted = true;
    }
  }

  // RFC 9211 Cache-Status: `Edge; hit; ttl=-3, Origin; fwd=stale`.
  const cacheStatus = headers['cache-status'];
  if (cacheStatus !== undefined) {
    intermediary = true;
    signals.push(`cache-status: ${cacheStatus}`);
    for (const entry of cacheStatus.split(',')) {
      const entryHit = /;\s*hit\b/i.test(entry);
      if (entryHit) hit = true;
      const ttl = /;\s*ttl=(-?\d+)/i.exec(entry);
      if ((entryHit && ttl && Number(ttl[1]) < 0) || /fwd=stale/i.test(entry)) staleAdmitted = true;
    }
  }

  // Varnish: `X-Varnish: <this xid> <xid of the stored object>` means a hit.
  const xVarnish = headers['x-varnish'];
  if (xVarnish !== undefined) {
    intermediary = true;
    signals.push(`x-varnish: ${xVarnish}`);
    if (/^\s*\d+\s+\d+\s*$/.test(xVarnish)) hit = true;
  }

  const via = headers['via'];
  if (via !== undefined) {
    intermediary = true;
    signals.push(`via: ${via}`);
  }
  const servedBy = headers['x-served-by'];
  if (servedBy !== undefined) {
    intermediary = true;
    signals.push(`x-served-by: ${servedBy}`);
  }

  // Warning 110 (Response is Stale) and 111 (Revalidation Failed), obsolete but still sent.
  const warning = headers['warning'];
  if (warning !== undefined && /\b11[01]\b/.test(warning)) {
    staleAdmitted = true;
    hit = true;
    signals.push(`warning: ${warning}`);
  }

  // A `Date` far behind the probe's clock means the headers were stored, not generated now.
  const date = headers['date'];
  if (date !== undefined) {
    const generated = Date.parse(date);
    if (Number.isFinite(generated)) {
      const skew = Math.round((now - generated) / 1000);
      if (skew > DATE_SKEW_TOLERANCE_SECONDS) {
        signals.push(`date: ${date} (${skew} s behind the probe's clock)`);
        hit = true;
        ageSeconds = Math.max(ageSeconds ?? 0, skew);
      }
    }
  }

  if (staleAdmitted) hit = true;
  // A hit with no caching header at all (`X-Cache: HIT` alone) still has an age, but no lifetime to hold it against.
  const freshness = readFreshness(headers, now, status) ?? (hit ? { lifetimeSeconds: null, ageSeconds: ageSeconds ?? 0, state: 'unknown' as const } : undefined);
  return { hit, staleAdmitted, intermediary, signals, ...(ageSeconds !== undefined ? { ageSeconds } : {}), ...(freshness ? { freshness } : {}) };
}

/**
 * The freshness of an observation's primary response as evaluation records it in
 * `KeyEvidence.cache.freshness`: `undefined` without a response, or without caching headers and
 * without a cache hit.
 */
export function freshnessOf(observation: Pick<Observation, 'response' | 'startedAt'>): Freshness | undefined {
  const response = observation.response;
  return response ? readCacheEvidence(response.headers, observation.startedAt, response.status).freshness : undefined;
}
