import type { Classification } from '@crosscheck/checks';
import type { PublicIncident, PublicMaintenance, PublicMonitor, PublicState, PublicStatusPage, SeriesReport, UptimeReport } from '@crosscheck/contract';

/** Days of bars a page shows, and the window of its uptime percentage. */
export const PUBLIC_DAYS = 90;
/** Incidents shown per monitor (open and of the last {@link PUBLIC_DAYS} days), newest first. */
export const PUBLIC_INCIDENTS_PER_MONITOR = 10;

const DAY_MS = 86_400_000;

/** An incident of a monitor, as much of it as a public page may use. */
export interface IncidentFacts {
  state: 'open' | 'resolved';
  classification: 'degraded' | 'outage' | 'masked_outage' | 'regional_outage';
  affectedRegions: readonly string[];
  startedAt: string;
  resolvedAt: string | null;
}

/** What a day's bar is made of: one point of the monitor's daily series (`UptimeService.series(id, '90d', '1d')`). */
export type DayFacts = Pick<SeriesReport['points'][number], 'at' | 'up' | 'down' | 'uptimeRatio' | 'worst'>;

/** What a public page is made of, for one monitor: nothing of its target, headers or evidence. */
export interface MonitorFacts {
  name: string;
  /** The latest round's classification and the regions it is about; `null` before the first round. */
  latest: { classification: Classification; affectedRegions: readonly string[] } | null;
  uptime: Pick<UptimeReport, 'uptimeRatio'>;
  series: { points: readonly DayFacts[] };
  /** Newest first. */
  incidents: readonly IncidentFacts[];
  /** Its maintenance windows in effect at `now` or starting within 7 days (epoch ms), any order. */
  maintenance?: readonly MaintenanceFacts[];
}

/** An occurrence of a maintenance window of a monitor, as a public page may show it. */
export interface MaintenanceFacts {
  start: number;
  end: number;
  reason: string;
}

/** How far ahead a page announces maintenance. */
export const PUBLIC_MAINTENANCE_AHEAD_MS = 7 * DAY_MS;

/** The page's own words. */
export interface PageFacts {
  slug: string;
  title: string;
  description: string | null;
}

const STATE_OF: Record<Classification, PublicState> = {
  operational: 'operational',
  degraded: 'degraded_performance',
  regional_outage: 'partial_outage',
  outage: 'major_outage',
  masked_outage: 'major_outage',
  unknown: 'unknown',
};

const LABEL: Record<PublicState, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  unknown: 'Status unknown',
};

const OVERALL_LABEL: Record<PublicState, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  unknown: 'Status of some systems unknown',
};

/** Worst first: what the page's banner shows of its monitors. */
const SEVERITY: readonly PublicState[] = ['major_outage', 'partial_outage', 'degraded_performance', 'unknown', 'operational'];

/** A state in words. */
export function labelOf(state: PublicState): string {
  return LABEL[state];
}

/**
 * A ratio as a percentage, rounded down to two decimals, so that a month with one failed round
 * never reads 100%: `0.99995` is `99.99%`, `1` is `100%`. `null` stays `null`.
 */
export function percentOf(ratio: number | null): string | null {
  if (ratio === null) return null;
  if (ratio >= 1) return '100%';
  return `${(Math.floor(ratio * 10_000) / 100).toFixed(2)}%`;
}

/**
 * The public view of a page: each monitor's state in words, its 90 daily bars (each with a text
 * alternative), its 90-day uptime and its incidents, from facts that carry no target, address,
 * header, evidence or id. Pure: `now` (epoch ms) decides which 90 UTC days are shown.
 */
export function buildPublicStatusPage(page: PageFacts, monitors: readonly MonitorFacts[], now: number): PublicStatusPage {
  const shown = monitors.map((monitor) => publicMonitor(monitor, now));
  const overall = SEVERITY.find((state) => shown.some((monitor) => monitor.state === state)) ?? 'operational';
  return {
    slug: page.slug,
    title: page.title,
    description: page.description,
    status: { state: overall, label: OVERALL_LABEL[overall] },
    monitors: shown,
    generatedAt: new Date(now).toISOString(),
  };
}

function publicMonitor(monitor: MonitorFacts, now: number): PublicMonitor {
  const state = monitor.latest === null ? 'unknown' : STATE_OF[monitor.latest.classification];
  const maintenance = maintenanceOf(monitor.maintenance ?? [], now);
  const active = maintenance.find((window) => window.state === 'active');
  return {
    name: monitor.name,
    state,
    // In a window, the state stays what the rounds saw; the words say why nobody is paged.
    label: active ? 'Under maintenance' : LABEL[state],
    detail: active ? `${active.label}.${state === 'operational' ? '' : ` Meanwhile: ${LABEL[state].toLowerCase()}.`}` : detailOf(monitor.latest),
    uptime: { window: '90d', ratio: monitor.uptime.uptimeRatio, percent: percentOf(monitor.uptime.uptimeRatio) },
    days: daysOf(monitor.series.points, now),
    incidents: monitor.incidents.slice(0, PUBLIC_INCIDENTS_PER_MONITOR).map(publicIncident),
    ...(maintenance.length > 0 ? { maintenance } : {}),
  };
}

/** The windows in effect or starting within {@link PUBLIC_MAINTENANCE_AHEAD_MS}, soonest first, in words. */
function maintenanceOf(windows: readonly MaintenanceFacts[], now: number): PublicMaintenance[] {
  return windows
    .filter((window) => window.end > now && window.start < now + PUBLIC_MAINTENANCE_AHEAD_MS)
    .sort((a, b) => a.start - b.start)
    .map((window) => {
      const active = window.start <= now;
      const label = active
        ? `Under maintenance until ${timeInWords(window.end)}: ${window.reason}`
        : `Maintenance scheduled from ${timeInWords(window.start)} to ${timeInWords(window.end)}: ${window.reason}`;
      return { state: active ? 'active' : 'upcoming', startsAt: new Date(window.start).toISOString(), endsAt: new Date(window.end).toISOString(), label };
    });
}

/** `25 Nov 2026, 04:00 UTC`. */
function timeInWords(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${dateInWords(iso.slice(0, 10))}, ${iso.slice(11, 16)} UTC`;
}

function detailOf(latest: MonitorFacts['latest']): string | null {
  if (latest === null) return 'No check has completed yet.';
  const regions = latest.affectedRegions.length > 0 ? ` Affected regions: ${latest.affectedRegions.join(', ')}.` : '';
  switch (latest.classification) {
    case 'operational':
      return null;
    case 'degraded':
      return `Slower than usual, or not fully working.${regions}`;
    case 'regional_outage':
      return `Unavailable from some regions.${regions}`;
    case 'outage':
      return `Unavailable.${regions}`;
    case 'masked_outage':
      return `Unavailable; some visitors may be shown out-of-date pages from a cache.${regions}`;
    case 'unknown':
      return 'Too few of our checking regions could reach it to tell.';
  }
}

function publicIncident(incident: IncidentFacts): PublicIncident {
  const classification = STATE_OF[incident.classification] as PublicIncident['classification'];
  const open = incident.state === 'open';
  const regions = incident.affectedRegions.length > 0 ? ` (${incident.affectedRegions.join(', ')})` : '';
  const summary = {
    degraded: open ? 'Slower than usual, or not fully working.' : 'It was slower than usual, or not fully working.',
    regional_outage: open ? `Unavailable from some regions${regions}.` : `It was unavailable from some regions${regions}.`,
    outage: open ? `Unavailable${regions}.` : `It was unavailable${regions}.`,
    masked_outage: open
      ? `Unavailable${regions}; some visitors may be shown out-of-date pages from a cache.`
      : `It was unavailable${regions}; some visitors were shown out-of-date pages from a cache.`,
  }[incident.classification];
  return {
    state: incident.state,
    classification,
    label: LABEL[classification],
    summary,
    startedAt: incident.startedAt,
    resolvedAt: incident.resolvedAt,
    affectedRegions: [...incident.affectedRegions],
  };
}

/** The last {@link PUBLIC_DAYS} UTC days, oldest first, each from the series point of that day. */
function daysOf(points: readonly DayFacts[], now: number): PublicMonitor['days'] {
  const byDate = new Map<string, DayFacts>();
  for (const point of points) byDate.set(point.at.slice(0, 10), point);
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const days: PublicMonitor['days'] = [];
  for (let index = PUBLIC_DAYS - 1; index >= 0; index--) {
    const date = new Date(today - index * DAY_MS).toISOString().slice(0, 10);
    const point = byDate.get(date);
    const counted = point === undefined ? 0 : point.up + point.down;
    const state = point === undefined || counted === 0 ? 'no_data' : dayState(point);
    const ratio = state === 'no_data' || point === undefined ? null : point.uptimeRatio;
    days.push({ date, state, uptimeRatio: ratio, label: dayLabel(date, state, ratio) });
  }
  return days;
}

function dayState(point: DayFacts): PublicMonitor['days'][number]['state'] {
  if (point.down === 0) return point.worst === 'degraded' ? 'degraded_performance' : 'operational';
  if (point.worst === 'outage' || point.worst === 'masked_outage') return 'major_outage';
  return 'partial_outage';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `25 Nov 2026` from `2026-11-25`. */
export function dateInWords(date: string): string {
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

function dayLabel(date: string, state: PublicMonitor['days'][number]['state'], ratio: number | null): string {
  if (state === 'no_data') return `${dateInWords(date)}: no data`;
  return `${dateInWords(date)}: ${percentOf(ratio) ?? 'no'} uptime, ${LABEL[state].toLowerCase()}`;
}
