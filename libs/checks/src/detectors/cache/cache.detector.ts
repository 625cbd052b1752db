import type { RequestOutcome } from '../../observation/observation';
import type { EvaluationContext } from '../../context/evaluation-context';
import type { Cause, Evidence, Freshness, VerdictStatus } from '../../verdict/verdict';
import type { CacheReading } from './cache-evidence';
import { describeFreshness, overdueSeconds } from './freshness';

/**
 * Seconds past lifetime + stale-while-revalidate that freshness alone does not judge: a stock
 * Varnish serves any object up to 10 s past its TTL while it refetches (`default_grace`), and CDNs
 * and nginx (`proxy_cache_background_update`) do the like. Content that late is a cache at work,
 * not a cache that stopped asking the origin. The reading itself (`Freshness.state`) stays by the book.
 */
export const STALE_GRACE_SECONDS = 10;

/** The cache-bypassing request, judged by the same spec (without its own cache judgement). */
export interface BypassJudgement {
  outcome: RequestOutcome;
  status: VerdictStatus;
  causes: Cause[];
}

/**
 * Judges cache evidence together with the bypass request. The point: a cached 200 proves nothing
 * about the origin. When the request that bypasses caches fails while the one users get looks
 * healthy, users are being served a corpse (`stale_cache`, down). When the bypass is healthy, the
 * cache hit is harmless (`cached_response`, info). Content older than the monitor allows is
 * degraded however healthy the origin is, because users see it.
 *
 * RFC 9111 freshness weighs in on a hit: content served past its lifetime and past
 * stale-while-revalidate (by more than {@link STALE_GRACE_SECONDS}) is evidence of staleness.
 * Without a conclusive bypass it is `stale_cache` degraded (inside stale-if-error: the cache met an
 * origin error); with a healthy bypass it is degraded too (a cache that does not revalidate
 * although the origin answers); inside stale-while-revalidate it is the normal `cached_response`.
 * A cache's own admission (`Warning: 110`, `X-Cache-Status: STALE`) is judged as before and named
 * beside it. A failed bypass stays `stale_cache` down, its message naming the freshness.
 *
 * Runs only when the primary response is not already down on its own.
 */
export function judgeCache(context: EvaluationContext, reading: CacheReading, bypass: BypassJudgement | undefined): Cause[] {
  const causes: Cause[] = [];
  const status = context.response.status;
  const freshness = reading.hit ? reading.freshness : undefined;
  const cacheEvidence: Evidence = {
    signals: reading.signals,
    ageSeconds: reading.ageSeconds ?? null,
    cacheHit: reading.hit,
    ...(freshness ? { freshness: freshness.state, lifetimeSeconds: freshness.lifetimeSeconds } : {}),
  };
  const headers = context.response.headers;
  const described = freshness && freshness.state !== 'unknown' ? describeFreshness(freshness, headers) : undefined;
  /** Past the lifetime and past stale-while-revalidate (stale by the book), by more than a cache's own grace. */
  const pastRevalidation = freshness !== undefined && overdueSeconds(freshness, headers) > STALE_GRACE_SECONDS;
  const admission = reading.staleAdmitted ? `; the cache itself says so (${staleSignals(reading).join('; ')})` : '';

  if (bypass && bypass.status === 'down') {
    const bypassStatus = bypass.outcome.response?.status ?? null;
    const bypassError = bypass.outcome.error?.code;
    const reasons = bypass.causes.filter((c) => c.severity === 'down').map((c) => c.code);
    const vendor = bypass.causes.find((c) => c.code === 'lb_error_page')?.evidence['vendor'];
    const bypassEvidence = {
      ...cacheEvidence,
      httpStatus: status,
      bypassUrl: bypass.outcome.url,
      bypassStatus,
      bypassError: bypassError ?? null,
      bypassCauses: reasons,
      ...(typeof vendor === 'string' ? { bypassErrorPageVendor: vendor } : {}),
    };
    const seen = bypassError ? `failed (${bypassError})` : `answered ${bypassStatus}${typeof vendor === 'string' ? ` (${vendor} error page)` : ''}`;
    // Many sites reject an unknown query parameter with 400 or 404: that says nothing about the origin.
    const rejectedParameter =
      !bypassError && bypassStatus !== null && bypassStatus >= 400 && bypassStatus < 500 && bypassStatus !== 408 && bypassStatus !== 429 && typeof vendor !== 'string';
    if (rejectedParameter) {
      causes.push({
        code: 'bypass_inconclusive',
        severity: 'info',
        message: `the cache-bypassing request answered ${bypassStatus}; the site may reject unknown query parameters, so it proves nothing about the origin`,
        evidence: bypassEvidence,
      });
    } else {
      causes.push({
        code: 'stale_cache',
        severity: 'down',
        message: `served ${status}${reading.hit ? ' from a cache' : ''} while the cache-bypassing request ${seen}: the origin is failing behind ${reading.hit ? 'the cache' : 'what is likely a cache'}${reading.signals.length > 0 ? ` (${reading.signals.slice(0, 3).join('; ')})` : ''}${described ? `; the content is ${described}` : ''}`,
        evidence: bypassEvidence,
      });
    }
    // A bypass that proves nothing leaves the freshness to speak as if none had been made.
    if (rejectedParameter && pastRevalidation && described) {
      causes.push(staleByTheBook(freshness, described, admission, 'the cache-bypassing request proved nothing about the origin', cacheEvidence));
    }
  } else if (reading.hit) {
    if (bypass && pastRevalidation && described) {
      causes.push({
        code: 'stale_cache',
        severity: 'degraded',
        message: `served ${described}, while the cache-bypassing request is healthy: the cache is not revalidating although the origin answers${admission}`,
        evidence: { ...cacheEvidence, bypassStatus: bypass.outcome.response?.status ?? null },
      });
    } else if (bypass) {
      causes.push({
        code: 'cached_response',
        severity: 'info',
        message: `served from a cache (${reading.signals.slice(0, 3).join('; ')})${freshness?.state === 'stale_while_revalidate' && described ? `, ${described}` : ''}; the cache-bypassing request is healthy`,
        evidence: { ...cacheEvidence, bypassStatus: bypass.outcome.response?.status ?? null },
      });
    } else if (pastRevalidation && described) {
      causes.push(staleByTheBook(freshness, described, admission, 'no cache-bypassing request checked the origin', cacheEvidence));
    } else if (reading.staleAdmitted) {
      // Without a bypass request the cache's own admission is all there is: worth a look, not a page.
      causes.push({
        code: 'stale_cache',
        severity: 'degraded',
        message: `the cache says it served stale content (${reading.signals.slice(0, 3).join('; ')})${described ? `, ${described}` : ''}; no cache-bypassing request was made to check the origin`,
        evidence: cacheEvidence,
      });
    } else {
      causes.push({
        code: 'cached_response',
        severity: 'info',
        message: `served from a cache (${reading.signals.slice(0, 3).join('; ')})${freshness?.state === 'stale_while_revalidate' && described ? `, ${described}` : ''}; no cache-bypassing request was made`,
        evidence: cacheEvidence,
      });
    }
  }

  const maxAge = context.spec.expect.maxContentAgeSeconds;
  if (maxAge !== undefined && reading.ageSeconds !== undefined && reading.ageSeconds > maxAge) {
    causes.push({
      code: 'stale_cache',
      severity: 'degraded',
      message: `content is ${reading.ageSeconds} s old, older than the ${maxAge} s the monitor allows`,
      evidence: { ...cacheEvidence, maxContentAgeSeconds: maxAge },
    });
  }
  return causes;
}

/** `stale_cache` degraded from RFC 9111 freshness alone, when nothing checked the origin. */
function staleByTheBook(freshness: Freshness, described: string, admission: string, noProof: string, evidence: Evidence): Cause {
  const why = freshness.state === 'stale_if_error' ? ': the cache is serving stale on an origin error' : '';
  return { code: 'stale_cache', severity: 'degraded', message: `served ${described}${why}${admission}; ${noProof}`, evidence };
}

/** The signals in which a cache admits staleness (`warning: 110 ...`, `x-cache-status: STALE`). */
function staleSignals(reading: CacheReading): string[] {
  const admitting = reading.signals.filter((signal) => /stale|updating|^warning:|ttl=-|fwd=stale/i.test(signal));
  return (admitting.length > 0 ? admitting : reading.signals).slice(0, 3);
}
