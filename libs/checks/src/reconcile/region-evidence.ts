import type { CauseCode, Freshness } from '../verdict/verdict';
import type { ContentLag } from './content-lag';
import type { RegionReading } from './region-reading';
import type { RegionStatus, RegionVerdict } from './round-verdicts';

/**
 * The facts of one region that a person (or a webhook consumer) needs to see why a round was
 * classified as it was. Every field is present; `null` means not known or not applicable, so the
 * shape survives JSON unchanged.
 */
export interface RegionEvidence {
  status: RegionStatus;
  /** How reconcile read the answer (see {@link RegionReading}). */
  reading: RegionReading;
  /** The verdict's cause codes, in the verdict's order, without repeats. */
  causes: CauseCode[];
  httpStatus: number | null;
  totalMs: number | null;
  /** Whether the answer came from a cache; `null` when the region did not answer. */
  cacheHit: boolean | null;
  ageSeconds: number | null;
  /** Status of the cache-bypassing request; `null` when none was made or it got no response. */
  bypassStatus: number | null;
  /** What the bypass request hit instead of a response, e.g. `connection_refused`, when the cache detector said so. */
  bypassError: string | null;
  /** Vendor of a proxy's error page, on the request itself or behind the cache. */
  errorPageVendor: string | null;
  /** Error code of a probe that got no response. */
  probeError: string | null;
  /** RFC 9111 freshness state of the answer, when the agent read one. */
  freshness: Freshness['state'] | null;
  /** The version the answer carried (a health document's `version`, `build`, `commit`...), when it carried one. */
  version: string | null;
  /** The answer's `Last-Modified`, when it had one. */
  lastModified: string | null;
  /** Its content lags the other regions' (rule `version_skew`); `false` when it does not or was not compared. */
  lagging: boolean;
  /** Why a region is blind: the coordinator's reason for a missing region, or the refusal's message. */
  note: string | null;
}

/** The evidence of one region, from its verdict, how it was read, and its content lag (if any) against the other regions. */
export function regionEvidence(verdict: RegionVerdict, reading: RegionReading, lag?: ContentLag): RegionEvidence {
  const key = verdict.evidence ?? null;
  const stale = verdict.causes.find((cause) => cause.code === 'stale_cache' && cause.severity === 'down');
  const bypassError = stale?.evidence['bypassError'];
  const refusal = reading === 'refused' ? verdict.causes.find((cause) => cause.code === 'blocked_target')?.message : undefined;
  return {
    status: verdict.status,
    reading,
    causes: [...new Set(verdict.causes.map((cause) => cause.code))],
    httpStatus: key?.httpStatus ?? null,
    totalMs: key?.totalMs ?? null,
    cacheHit: key ? key.cache.hit : null,
    ageSeconds: key?.cache.ageSeconds ?? null,
    bypassStatus: key?.bypassStatus ?? null,
    bypassError: typeof bypassError === 'string' ? bypassError : null,
    errorPageVendor: key?.errorPageVendor ?? null,
    probeError: key?.probeError ?? null,
    freshness: key?.cache.freshness?.state ?? null,
    version: key?.content?.version ?? null,
    lastModified: key?.content?.lastModified ?? null,
    lagging: lag !== undefined,
    note: verdict.reason ?? refusal ?? null,
  };
}
