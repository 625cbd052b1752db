import { get, query } from '../api/api-client';
import type { Classification, FleetMonitorView, FleetStatusView } from '../api/api-types';
import type { MonitorFilters } from '../routing/routes';
import { CLASSIFICATION_ORDER } from '../words/classification-words';

/** Pages the grid reads at most per refresh (200 monitors each). */
const MAX_PAGES = 10;

/** Every monitor's state, page after page of `GET /v1/status`. */
export async function loadFleet(signal: AbortSignal): Promise<{ monitors: FleetMonitorView[]; truncated: boolean }> {
  const monitors: FleetMonitorView[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: FleetStatusView = await get<FleetStatusView>(`v1/status${query({ limit: 200, cursor })}`, signal);
    monitors.push(...answer.items);
    cursor = answer.nextCursor;
    if (cursor === null) return { monitors, truncated: false };
  }
  return { monitors, truncated: true };
}

/** Every region any monitor checks from, sorted. */
export function regionsOf(monitors: readonly FleetMonitorView[]): string[] {
  return [...new Set(monitors.flatMap((monitor) => Object.keys(monitor.regions)))].sort();
}

/** Whether a monitor passes the grid's filters. */
export function matchesFilters(monitor: FleetMonitorView, filters: MonitorFilters): boolean {
  const q = filters.q.trim().toLowerCase();
  if (q !== '' && ![monitor.name, monitor.url, monitor.key].some((text) => text.toLowerCase().includes(q))) return false;
  if (filters.classification !== '') {
    const classification = monitor.classification?.classification ?? 'none';
    if (classification !== filters.classification) return false;
  }
  if (filters.region !== '' && monitor.regions[filters.region] === undefined) return false;
  return true;
}

function rank(classification: Classification | undefined): number {
  return classification === undefined ? CLASSIFICATION_ORDER.length : CLASSIFICATION_ORDER.indexOf(classification);
}

/** Worst classification first, then by name: what needs a look is on top. */
export function worstFirst(a: FleetMonitorView, b: FleetMonitorView): number {
  return rank(a.classification?.classification) - rank(b.classification?.classification) || a.name.localeCompare(b.name);
}

/** How many monitors have each classification (`none`: not classified yet). */
export function countByClassification(monitors: readonly FleetMonitorView[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const monitor of monitors) {
    const key = monitor.classification?.classification ?? 'none';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
