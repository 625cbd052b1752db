import type { MaintenanceOccurrenceView, MaintenanceView } from '../api/api-types';

/** A window that covers a monitor, with the occurrence that matters: the one in effect, or the next. */
export interface CoveringWindow {
  window: MaintenanceView;
  occurrence: MaintenanceOccurrenceView;
}

/** The maintenance of one monitor: windows in effect now, and those to come, soonest first. */
export interface MonitorMaintenance {
  active: CoveringWindow[];
  upcoming: CoveringWindow[];
  /** When the last of the windows in effect ends (ISO time); `null` when none is. */
  activeUntil: string | null;
}

/**
 * Whether a window covers a monitor, as the coordinator decides: a window that selects by labels
 * covers every monitor that has each of them (with the same value); one that names monitors, those.
 */
export function coversMonitor(window: Pick<MaintenanceView, 'monitorIds' | 'labels'>, monitor: { id: string; labels: Readonly<Record<string, string>> | undefined }): boolean {
  if (window.labels !== null) {
    const own = monitor.labels ?? {};
    return Object.entries(window.labels).every(([name, value]) => own[name] === value);
  }
  return window.monitorIds.includes(monitor.id);
}

/** The windows of `windows` that cover the monitor, now (`now`, epoch ms) and to come. */
export function maintenanceOf(windows: readonly MaintenanceView[], monitor: { id: string; labels: Readonly<Record<string, string>> | undefined }, now: number): MonitorMaintenance {
  const active: CoveringWindow[] = [];
  const upcoming: CoveringWindow[] = [];
  for (const window of windows) {
    if (!coversMonitor(window, monitor)) continue;
    // `active` is as of the API's answer; the page may show it a little later, so the times decide.
    const current = window.current;
    if (current && Date.parse(current.startsAt) <= now && Date.parse(current.endsAt) > now) active.push({ window, occurrence: current });
    const next = window.next;
    if (next && Date.parse(next.startsAt) > now && next.startsAt !== current?.startsAt) upcoming.push({ window, occurrence: next });
  }
  upcoming.sort((a, b) => Date.parse(a.occurrence.startsAt) - Date.parse(b.occurrence.startsAt));
  active.sort((a, b) => Date.parse(a.occurrence.endsAt) - Date.parse(b.occurrence.endsAt));
  const activeUntil = active.at(-1)?.occurrence.endsAt ?? null;
  return { active, upcoming, activeUntil };
}

/** How a window recurs, in words: `one-off`, `repeats by RRULE FREQ=WEEKLY;BYDAY=SU`, `repeats by cron 0 2 * * 0`. */
export function recurrenceWords(window: Pick<MaintenanceView, 'kind' | 'rrule' | 'cron' | 'durationMinutes'>): string {
  const each = `${window.durationMinutes} min`;
  if (window.kind === 'rrule' && window.rrule) return `repeats by RRULE ${window.rrule}, ${each} each`;
  if (window.kind === 'cron' && window.cron) return `repeats by cron ${window.cron}, ${each} each`;
  return `one-off, ${each}`;
}
