import type { FleetRegionView, IncidentDetailView } from '../api/api-types';

/** One region of an incident timeline's round. */
export type RegionDigestView = Extract<IncidentDetailView['timeline'][number], { regions: unknown }>['regions'][string];

const WEIGHT: Readonly<Record<string, number>> = { down: 0, degraded: 1, info: 2 };

/**
 * A timeline's region (as the incident recorded it) in the shape of the grid's cells, so a round of
 * the past is shown with the same words and table as the latest one.
 */
export function cellOfDigest(digest: RegionDigestView): FleetRegionView {
  const main = [...digest.causes].sort((a, b) => (WEIGHT[a.severity] ?? 3) - (WEIGHT[b.severity] ?? 3))[0] ?? null;
  return {
    status: digest.status,
    reading: digest.reading,
    affected: digest.affected,
    mainCause: main,
    causes: [...new Set(digest.causes.map((cause) => cause.code))],
    httpStatus: digest.evidence.httpStatus,
    totalMs: digest.evidence.totalMs,
    cacheHit: digest.evidence.cache.hit,
    ageSeconds: digest.evidence.cache.ageSeconds,
    bypassStatus: digest.evidence.bypassStatus,
    bypassError: digest.evidence.bypassError,
    errorPageVendor: digest.evidence.errorPageVendor,
    bypassErrorPageVendor: digest.evidence.bypassErrorPageVendor,
    probeError: digest.evidence.probeError,
    checkedAt: null,
    note: digest.note,
  };
}
