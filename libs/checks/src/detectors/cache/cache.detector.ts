import type { RequestOutcome } from '../../observation/observation';
import type { EvaluationContext } from '../../context/evaluation-context';
import type { Cause, VerdictStatus } from '../../verdict/verdict';
import type { CacheReading } from './cache-evidence';

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
 * Runs only when the primary response is not already down on its own.
 */
export function judgeCache(context: EvaluationContext, reading: CacheReading, bypass: BypassJudgement | undefined): Cause[] {
  const causes: Cause[] = [];
  const status = context.response.status;
  const cacheEvidence = { signals: reading.signals, ageSeconds: reading.ageSeconds ?? null, cacheHit: reading.hit };

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
        message: `served ${status}${reading.hit ? ' from a cache' : ''} while the cache-bypassing request ${seen}: the origin is failing behind ${reading.hit ? 'the cache' : 'what is likely a cache'}${reading.signals.length > 0 ? ` (${reading.signals.slice(0, 3).join('; ')})` : ''}`,
        evidence: bypassEvidence,
      });
    }
  } else if (reading.hit) {
    if (bypass) {
      causes.push({
        code: 'cached_response',
        severity: 'info',
        message: `served from a cache (${reading.signals.slice(0, 3).join('; ')}); the cache-bypassing request is healthy`,
        evidence: { ...cacheEvidence, bypassStatus: bypass.outcome.response?.status ?? null },
      });
    } else if (reading.staleAdmitted) {
      // Without a bypass request the cache's own admission is all there is: worth a look, not a page.
      causes.push({
        code: 'stale_cache',
        severity: 'degraded',
        message: `the cache says it served stale content (${reading.signals.slice(0, 3).join('; ')}); no cache-bypassing request was made to check the origin`,
        evidence: cacheEvidence,
      });
    } else {
      causes.push({
        code: 'cached_response',
        severity: 'info',
        message: `served from a cache (${reading.signals.slice(0, 3).join('; ')}); no cache-bypassing request was made`,
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
