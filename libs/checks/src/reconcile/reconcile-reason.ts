import type { CauseCode, CauseSeverity } from '../verdict/verdict';
import type { RegionRead } from './region-reading';

/**
 * Phrasing for the one-line `reason` of a reconciliation: short pieces a person reads in a page,
 * e.g. `regional outage: down in eu-west (connection_refused); up in ap-south, us-east`.
 */

/** `eu-west, us-east`. */
export function regionList(group: readonly RegionRead[]): string {
  return group.map((r) => r.region).join(', ');
}

/**
 * The cause codes of a group that have the given severity, counted by region, the most widespread
 * first (ties alphabetical). The order is the one `decidedBy` uses.
 */
export function rankCauses(group: readonly RegionRead[], pick: (code: CauseCode, severity: CauseSeverity) => boolean): CauseCode[] {
  const counts = new Map<CauseCode, number>();
  for (const { verdict } of group) {
    const codes = new Set(verdict.causes.filter((c) => pick(c.code, c.severity)).map((c) => c.code));
    for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return [...counts.entries()].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).map(([code]) => code);
}

/** `connection_refused, lb_error_page nginx`: the down (or degraded) reasons of a group, with the error page's vendor. */
export function causeSummary(group: readonly RegionRead[], severity: CauseSeverity): string {
  const vendors = distinct(group.map((r) => r.verdict.evidence?.errorPageVendor));
  return rankCauses(group, (_code, s) => s === severity)
    .map((code) => (code === 'lb_error_page' && vendors.length > 0 ? `${code} ${vendors.join('/')}` : code))
    .join(', ');
}

/** `connection_refused; 502 nginx`: what the bypass requests behind the caches got, from the `stale_cache` evidence. */
export function bypassSummary(group: readonly RegionRead[]): string {
  return distinct(
    group.map(({ verdict }) => {
      const stale = verdict.causes.find((c) => c.code === 'stale_cache' && c.severity === 'down');
      const error = stale?.evidence['bypassError'];
      if (typeof error === 'string') return error;
      const status = stale?.evidence['bypassStatus'] ?? verdict.evidence?.bypassStatus;
      const vendor = stale?.evidence['bypassErrorPageVendor'];
      if (typeof status !== 'number') return 'no response';
      return typeof vendor === 'string' ? `${status} ${vendor}` : String(status);
    }),
  ).join('; ');
}

/** `name (summary)`, or just `name` when there is nothing to add. */
export function withDetail(text: string, detail: string): string {
  return detail === '' ? text : `${text} (${detail})`;
}

/** `; no answer from ap-south; probe refused in eu-west`, or nothing when every region answered. */
export function blindSuffix(blind: readonly RegionRead[]): string {
  const missing = blind.filter((r) => r.reading === 'missing');
  const refused = blind.filter((r) => r.reading === 'refused');
  return (missing.length > 0 ? `; no answer from ${regionList(missing)}` : '') + (refused.length > 0 ? `; probe refused in ${regionList(refused)}` : '');
}

function distinct(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}
