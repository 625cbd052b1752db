import { CompiledSchedule, type MaintenanceOccurrence, type MaintenanceSchedule } from '@crosscheck/checks';
import { labelsMatch, type MaintenanceOccurrenceView, type MaintenanceView } from '@crosscheck/contract';

/** A maintenance window as stored: what its writer said, and when. */
export interface MaintenanceWindow {
  id: string;
  /** The key it was created with; none when it was created without one. */
  key?: string;
  /** The monitors it names; empty when it selects by labels. */
  monitorIds: string[];
  /** The labels it selects by; `null` when it names monitors. */
  labels: Record<string, string> | null;
  schedule: MaintenanceSchedule;
  reason: string;
  createdAt: string;
  updatedAt: string;
}

/** A window with the revision it is stored at. */
export interface StoredMaintenanceWindow {
  window: MaintenanceWindow;
  revision: number;
}

/** How far ahead `next` looks for an occurrence. */
const NEXT_HORIZON_MS = 366 * 86_400_000;

/** A window with its schedule compiled once, asked per round. */
export class CompiledWindow {
  readonly schedule: CompiledSchedule;

  constructor(readonly window: MaintenanceWindow) {
    this.schedule = new CompiledSchedule(window.schedule);
  }

  /** Whether the window covers the monitor (by id, or by labels: a monitor without labels has none). */
  covers(monitor: { id: string; labels?: Readonly<Record<string, string>> }): boolean {
    if (this.window.labels !== null) return labelsMatch(this.window.labels, monitor.labels);
    return this.window.monitorIds.includes(monitor.id);
  }

  /** The occurrence in effect at `at`; `null` when none is. */
  occurrenceAt(at: number): MaintenanceOccurrence | null {
    return this.schedule.occurrenceAt(at);
  }

  /** The next occurrence to start after `now` (within a year). */
  nextAfter(now: number): MaintenanceOccurrence | null {
    return this.schedule.startingIn(now + 1, now + NEXT_HORIZON_MS, 1)[0] ?? null;
  }
}

/** The window as the API shows it, its `active`, `current` and `next` as of `now`. */
export function presentMaintenance({ window, revision }: StoredMaintenanceWindow, now: number): MaintenanceView {
  const compiled = new CompiledWindow(window);
  const current = compiled.occurrenceAt(now);
  const next = compiled.nextAfter(now);
  const { schedule } = window;
  return {
    id: window.id,
    key: window.key ?? window.id,
    revision,
    kind: schedule.kind,
    monitorIds: [...window.monitorIds],
    labels: window.labels,
    startsAt: iso(schedule.startsAt),
    endsAt: schedule.kind === 'once' ? iso(schedule.endsAt) : null,
    durationMinutes: compiled.schedule.durationMs / 60_000,
    rrule: schedule.kind === 'rrule' ? schedule.rrule : null,
    cron: schedule.kind === 'cron' ? schedule.cron : null,
    reason: window.reason,
    active: current !== null,
    current: current ? occurrenceView(current) : null,
    next: next ? occurrenceView(next) : null,
    createdAt: window.createdAt,
    updatedAt: window.updatedAt,
  };
}

/** What a configuration file says of a window: what a dry run compares, and what a PATCH applies to. */
export function maintenanceDocument(view: MaintenanceView): Record<string, unknown> {
  const document: Record<string, unknown> = { key: view.key };
  if (view.labels !== null) document['labels'] = view.labels;
  else document['monitorIds'] = view.monitorIds;
  document['startsAt'] = view.startsAt;
  if (view.kind === 'once') document['endsAt'] = view.endsAt;
  else document['durationMinutes'] = view.durationMinutes;
  if (view.rrule !== null) document['rrule'] = view.rrule;
  if (view.cron !== null) document['cron'] = view.cron;
  document['reason'] = view.reason;
  return document;
}

export function occurrenceView(occurrence: MaintenanceOccurrence): MaintenanceOccurrenceView {
  return { startsAt: iso(occurrence.start), endsAt: iso(occurrence.end) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
