import { readRegion, type Cause, type CauseSeverity } from '@crosscheck/checks';
import type { FleetRegionView } from '@crosscheck/contract';
import { cut, DIGEST_LIMITS } from '../incidents/region-digest';
import type { RegionReport } from '../results/round';

const WEIGHT: Record<CauseSeverity, number> = { down: 0, degraded: 1, info: 2 };

/** The cause that weighs most: the first `down` one, else the first `degraded`, else the first `info`. */
export function mainCauseOf(causes: readonly Cause[]): Cause | undefined {
  let main: Cause | undefined;
  for (const cause of causes) if (main === undefined || WEIGHT[cause.severity] < WEIGHT[main.severity]) main = cause;
  return main;
}

/**
 * One region of a monitor as `GET /v1/status` shows it, from the region's report in the latest
 * finalized round (`undefined`: the region was not in it, `missingNote` says why). The reading is
 * reconcile's own (`readRegion`), so the grid and the classification never read a region apart.
 */
export function fleetRegion(report: RegionReport | undefined, affected: boolean, missingNote: string): FleetRegionView {
  const verdict: RegionReport = report ?? {
    status: 'missing',
    causes: [],
    evidence: null,
    agentId: null,
    agentVersion: null,
    checkedAt: null,
    reason: missingNote,
  };
  const key = verdict.evidence;
  const main = mainCauseOf(verdict.causes);
  // The facts of the bypass request behind a cache live on the stale_cache cause that reported them.
  const stale = verdict.causes.find((cause) => cause.code === 'stale_cache' && cause.severity === 'down')?.evidence ?? {};
  const bypassError = stale['bypassError'];
  const bypassVendor = stale['bypassErrorPageVendor'];
  const bypassStatus = key?.bypassStatus ?? (typeof stale['bypassStatus'] === 'number' ? stale['bypassStatus'] : null);
  const refusal = verdict.causes.find((cause) => cause.code === 'blocked_target')?.message;
  const reading = readRegion(verdict);
  const note = verdict.reason ?? (reading === 'refused' ? refusal : undefined);
  return {
    status: verdict.status,
    reading,
    affected,
    mainCause: main ? { code: main.code, severity: main.severity, message: cut(main.message, DIGEST_LIMITS.message) } : null,
    causes: [...new Set(verdict.causes.map((cause) => cause.code))],
    httpStatus: key?.httpStatus ?? null,
    totalMs: key?.totalMs ?? null,
    cacheHit: key ? key.cache.hit : null,
    ageSeconds: key?.cache.ageSeconds ?? null,
    bypassStatus,
    bypassError: typeof bypassError === 'string' ? bypassError : null,
    errorPageVendor: key?.errorPageVendor ?? null,
    bypassErrorPageVendor: typeof bypassVendor === 'string' ? cut(bypassVendor, DIGEST_LIMITS.signal) : null,
    probeError: key?.probeError ?? null,
    checkedAt: verdict.checkedAt,
    note: note === undefined ? null : cut(note, DIGEST_LIMITS.note),
  };
}
