import type { FleetMonitorView, FleetRegionView } from '../api/api-types';
import { causeWords } from './cause-words';
import { formatMs, formatSeconds, listWords } from './format';

/** What the cache-bypassing request saw, in a few words: `502 (nginx error page)`, `connection refused`. */
export function bypassWords(cell: Pick<FleetRegionView, 'bypassStatus' | 'bypassError' | 'bypassErrorPageVendor'>): string | null {
  if (cell.bypassError) return causeWords(cell.bypassError);
  if (cell.bypassStatus === null) return null;
  return `${cell.bypassStatus}${cell.bypassErrorPageVendor ? ` (${cell.bypassErrorPageVendor} error page)` : ''}`;
}

/** What users got in a region, in a few words: `cached 200, age 34 s`, `200 in 45 ms`, `connection refused`. */
export function servedWords(cell: FleetRegionView): string {
  if (cell.status === 'missing') return cell.note ?? 'no answer';
  if (cell.httpStatus === null) return cell.probeError ? causeWords(cell.probeError) : (cell.mainCause ? causeWords(cell.mainCause.code) : 'no response');
  const cached = cell.cacheHit ? `cached ${cell.httpStatus}${cell.ageSeconds !== null ? `, age ${formatSeconds(cell.ageSeconds)}` : ''}` : `${cell.httpStatus}`;
  const vendor = cell.errorPageVendor ? ` (${cell.errorPageVendor} error page)` : '';
  return `${cached}${vendor}${cell.cacheHit ? '' : ` in ${formatMs(cell.totalMs)}`}`;
}

/** One region's answer in a sentence, for the grid's cells and the explanation of a classification. */
export function regionSentence(region: string, cell: FleetRegionView): string {
  switch (cell.reading) {
    case 'down_behind_cache': {
      const bypass = bypassWords(cell);
      return `${region} gets ${servedWords(cell)} while the cache-bypassing request ${bypass ? `got ${bypass}` : 'failed'}: the origin is failing behind the cache`;
    }
    case 'down_direct':
      return `${region} sees it down: ${cell.mainCause ? cell.mainCause.message || causeWords(cell.mainCause.code) : servedWords(cell)}`;
    case 'cached_unverified':
      return `${region} gets ${servedWords(cell)}, and nothing vouched for the origin behind the cache`;
    case 'fresh': {
      const bypass = cell.cacheHit ? bypassWords(cell) : null;
      const state = cell.status === 'degraded' ? `degraded (${cell.mainCause ? causeWords(cell.mainCause.code) : 'see causes'})` : 'up';
      return `${region} is ${state}: ${servedWords(cell)}${bypass ? `; the cache-bypassing request got ${bypass}` : ''}`;
    }
    case 'refused':
      return `${region}'s agent refused to probe the target${cell.note ? ` (${cell.note})` : ''}`;
    case 'missing':
      return `${region} did not answer${cell.note ? ` (${cell.note})` : ''}`;
  }
}

/** The regions of a monitor grouped by how they were read, for the explanation of a masked outage. */
export interface RegionGroups {
  behindCache: string[];
  downDirect: string[];
  fresh: string[];
  blind: string[];
}

/** Groups a monitor's regions by reading. */
export function groupRegions(monitor: Pick<FleetMonitorView, 'regions'>): RegionGroups {
  const groups: RegionGroups = { behindCache: [], downDirect: [], fresh: [], blind: [] };
  for (const [region, cell] of Object.entries(monitor.regions)) {
    if (cell.reading === 'down_behind_cache') groups.behindCache.push(region);
    else if (cell.reading === 'down_direct') groups.downDirect.push(region);
    else if (cell.reading === 'fresh' || cell.reading === 'cached_unverified') groups.fresh.push(region);
    else groups.blind.push(region);
  }
  return groups;
}

/**
 * A masked outage in one sentence: which regions get a cached 200, what the bypass saw there, and
 * what the others see. `null` when no region is down behind a cache.
 */
export function maskedOutageSummary(monitor: Pick<FleetMonitorView, 'regions'>): string | null {
  const groups = groupRegions(monitor);
  if (groups.behindCache.length === 0) return null;
  const cells = groups.behindCache.map((region) => monitor.regions[region]!);
  const bypasses = [...new Set(cells.map((cell) => bypassWords(cell) ?? 'a failure'))];
  const statuses = [...new Set(cells.map((cell) => cell.httpStatus ?? 200))];
  const parts = [
    `${listWords(groups.behindCache)} ${groups.behindCache.length === 1 ? 'gets' : 'get'} a cached ${statuses.join('/')} while the cache-bypassing request got ${listWords(bypasses)}`,
  ];
  if (groups.downDirect.length > 0) {
    const direct = [...new Set(groups.downDirect.map((region) => monitor.regions[region]!.mainCause?.code).filter((code): code is NonNullable<typeof code> => code !== undefined).map(causeWords))];
    parts.push(`${listWords(groups.downDirect)} ${groups.downDirect.length === 1 ? 'sees' : 'see'} the origin down${direct.length > 0 ? ` (${listWords(direct)})` : ''}`);
  }
  if (groups.fresh.length > 0) parts.push(`${listWords(groups.fresh)} ${groups.fresh.length === 1 ? 'gets' : 'get'} fresh content`);
  return `${parts.join('; ')}.`;
}
