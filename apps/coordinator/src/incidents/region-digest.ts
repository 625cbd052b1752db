import { redactUrl, type RegionEvidence } from '@crosscheck/checks';
import type { RegionReport } from '../results/round';
import type { RegionDigest } from './incident-record';

/** Bounds that keep a timeline entry and a webhook payload small whatever an agent reported. */
export const DIGEST_LIMITS = { message: 240, causes: 8, signals: 8, signal: 160, url: 400, note: 300 } as const;

/**
 * `text` as an incident, a timeline or a payload shows it: URL userinfo redacted (an agent's
 * message may quote a URL with credentials), then cut to `max` characters with an ellipsis when
 * longer. Redacted first, so a cut never leaves half a password in front of the ellipsis.
 */
export function cut(text: string, max: number): string {
  const shown = redactUrl(text);
  return shown.length <= max ? shown : `${shown.slice(0, max - 1)}…`;
}

/**
 * One region of a round for an incident's timeline and the webhook payloads: its verdict, causes
 * and key evidence (status, cache hit, age, signals and RFC 9111 freshness, bypass status, the
 * proxy vendor of an error page, the content validators), bounded in size.
 */
export function regionDigest(report: RegionReport | undefined, evidence: RegionEvidence | undefined, affected: boolean): RegionDigest {
  const key = report?.evidence ?? null;
  const behindCache = report?.causes.find((cause) => cause.code === 'stale_cache')?.evidence['bypassErrorPageVendor'];
  return {
    status: report?.status ?? evidence?.status ?? 'missing',
    affected,
    reading: evidence?.reading ?? 'missing',
    causes: (report?.causes ?? []).slice(0, DIGEST_LIMITS.causes).map((cause) => ({
      code: cause.code,
      severity: cause.severity,
      message: cut(cause.message, DIGEST_LIMITS.message),
    })),
    evidence: {
      httpStatus: key?.httpStatus ?? null,
      cache: {
        hit: key ? key.cache.hit : null,
        ageSeconds: key?.cache.ageSeconds ?? null,
        signals: (key?.cache.signals ?? []).slice(0, DIGEST_LIMITS.signals).map((signal) => cut(signal, DIGEST_LIMITS.signal)),
        ...(key?.cache.freshness ? { freshness: key.cache.freshness } : {}),
      },
      bypassStatus: key?.bypassStatus ?? null,
      bypassError: evidence?.bypassError ?? null,
      errorPageVendor: key?.errorPageVendor ?? null,
      bypassErrorPageVendor: typeof behindCache === 'string' ? cut(behindCache, DIGEST_LIMITS.signal) : null,
      probeError: key?.probeError ?? null,
      totalMs: key?.totalMs ?? null,
      finalUrl: key ? cut(key.finalUrl, DIGEST_LIMITS.url) : null,
      // Bounded at intake (the result schema's content limits).
      ...(key?.content ? { content: key.content } : {}),
    },
    note: evidence?.note ? cut(evidence.note, DIGEST_LIMITS.note) : (report?.reason ? cut(report.reason, DIGEST_LIMITS.note) : null),
  };
}
