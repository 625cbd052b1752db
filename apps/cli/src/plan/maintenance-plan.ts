import { documentChanges } from '@crosscheck/contract';
import type { FieldChange, LiveMaintenance } from '../api/wire-shapes';
import type { ConfigFile, DesiredMaintenance, MaintenanceDocument } from '../config-file/config-file';
import type { LiveState } from './live-state';
import type { MatchedResources } from './match-resources';
import type { StatusPageIssue } from './status-page-plan';

/**
 * What the plan says of the file's maintenance windows, worked out on the client like status
 * pages: a window names monitors by key, and a monitor the same apply creates has no id to send a
 * dry run yet (the file's windows were validated by the API's own parser when the file was read).
 * Every monitor key a window names must be a monitor of the file or of the server that this apply
 * does not delete. The changes of an update compare the file's window with the server's in the
 * fields the API's dry run compares, its monitors as keys (`monitors.1`). Pure.
 */
export function planMaintenance(config: ConfigFile, live: LiveState, matched: MatchedResources, prune: boolean): { issues: StatusPageIssue[]; /** By window key. */ changes: Map<string, FieldChange[]> } {
  const issues: StatusPageIssue[] = [];
  const changes = new Map<string, FieldChange[]>();
  const keyOfMonitor = new Map(live.monitors.map((monitor) => [monitor.id, monitor.key]));
  const declaredMonitors = new Set(config.monitors.map((monitor) => monitor.key));
  const prunedMonitors = new Set(prune && config.declares.monitors ? matched.monitors.orphans.map((monitor) => monitor.key) : []);
  const liveMonitors = new Set(live.monitors.map((monitor) => monitor.key));

  for (const window of config.maintenance) {
    (window.document.monitors ?? []).forEach((key, index) => {
      const path = [...window.path, 'monitors', index];
      if (declaredMonitors.has(key)) return;
      if (prunedMonitors.has(key)) issues.push({ path, message: `monitor ${key} is deleted by this apply (--prune: it is not in the file's monitors)` });
      else if (!liveMonitors.has(key)) issues.push({ path, message: `unknown monitor key "${key}": neither a monitor of this file nor one on the server` });
    });
  }
  for (const { desired, live: current } of matched.maintenance.pairs) {
    changes.set(desired.key, documentChanges(liveMaintenanceDocument(current, keyOfMonitor), desired.document));
  }
  return { issues, changes };
}

/** A window of the server as the file would write it: its monitors by key (a monitor without a key by its id). */
export function liveMaintenanceDocument(window: LiveMaintenance, keyOfMonitor: ReadonlyMap<string, string>): MaintenanceDocument {
  return {
    key: window.key,
    ...(window.labels !== null ? { labels: window.labels } : { monitors: window.monitorIds.map((id) => keyOfMonitor.get(id) ?? id) }),
    startsAt: window.startsAt,
    ...(window.kind === 'once' && window.endsAt !== null ? { endsAt: window.endsAt } : { durationMinutes: window.durationMinutes }),
    ...(window.rrule !== null ? { rrule: window.rrule } : {}),
    ...(window.cron !== null ? { cron: window.cron } : {}),
    reason: window.reason,
  };
}

/** The body `POST` and `PUT /v1/maintenance` take for a window of the file, its monitors' keys resolved to ids. */
export function maintenanceBody(window: DesiredMaintenance, monitorIds: readonly string[]): Record<string, unknown> {
  const { monitors, ...rest } = window.document;
  return monitors !== undefined ? { ...rest, monitorIds } : rest;
}
