import type { IncidentEvent, IncidentEventType } from './incident-event';
import type { IncidentTransition } from './incident-machine';
import type { MaintenanceMark, MonitorIncidentState } from './monitor-incident-state';

/** The maintenance window a round's `scheduledAt` falls in, as the hold takes it. */
export interface ActiveMaintenance {
  windowId: string;
  reason: string;
}

/** A transition after the maintenance hold, and whether an open incident entered or left maintenance. */
export interface HeldTransition extends IncidentTransition {
  /**
   * `entered`: an incident open before the window is now marked as in maintenance (a timeline entry,
   * no event); `left`: the window ended with it still open (the mark goes); `null`: neither.
   */
  mark: 'entered' | 'left' | null;
  /** The incident events the window held back (not sent, not recorded). */
  held: IncidentEventType[];
}

/** What a window holds back: paging for new or changed trouble. Recovery is good news and goes out. */
const HELD: readonly IncidentEventType[] = ['incident.opened', 'incident.updated'];

/**
 * Applies a maintenance window to a computed transition. Pure: a function of the state before, the
 * machine's transition of the round, and the window the round's `scheduledAt` falls in (`null`:
 * none), so every coordinator decides the same for the same round, whatever its clock says.
 *
 * The rules, during a window:
 * - **Nothing opens.** An `incident.opened` is held back and the incident is not stored; the
 *   machine's health streak goes on counting, so the first round after the window that is still
 *   unhealthy opens the incident at once, with `startedAt` the first unhealthy round (the real start).
 * - **Nothing changes.** An `incident.updated` is held back and the open incident keeps its
 *   classification and regions; the change streak goes on, so it is sent after the window if it holds.
 * - **Recovery goes out.** `incident.resolved` is sent as usual: the people paged before the window
 *   want to know it is over, and a window never hides good news.
 * - **Region events go out.** `region.blind` / `region.restored` are about the probing agents, not
 *   the service under maintenance; they name the incident as it stands after the hold.
 * - **An open incident is marked.** The state remembers the window (`maintenance`); the first round
 *   in it marks an incident open before it (`entered`), the first round after it unmarks (`left`).
 */
export function holdForMaintenance(previous: MonitorIncidentState, transition: IncidentTransition, maintenance: ActiveMaintenance | null): HeldTransition {
  if (transition.disposition === 'ignored') return { ...transition, mark: null, held: [] };
  const before = previous.maintenance ?? null;

  if (maintenance === null) {
    const mark = before !== null && previous.incident !== null && transition.state.incident !== null ? 'left' : null;
    return { ...transition, state: { ...transition.state, maintenance: null }, mark, held: [] };
  }

  const mark: MaintenanceMark = before ?? { windowId: maintenance.windowId, since: transition.state.lastRound?.scheduledAt ?? 0, reason: maintenance.reason };
  const held = transition.events.filter((event) => HELD.includes(event.type)).map((event) => event.type);
  const resolved = transition.events.some((event) => event.type === 'incident.resolved');
  // Opened: not stored; updated: the incident as it was; resolved (or nothing): as the machine says.
  const incident = resolved ? transition.state.incident : previous.incident === null ? null : held.length > 0 ? previous.incident : transition.state.incident;
  const state: MonitorIncidentState = { ...transition.state, incident, maintenance: mark };
  const events = transition.events
    .filter((event) => !HELD.includes(event.type))
    .map((event): IncidentEvent =>
      event.type.startsWith('region.')
        ? { ...event, incidentId: incident?.id ?? null, classificationAfter: incident?.classification ?? null, severity: incident?.severity ?? null }
        : event,
    );
  return { ...transition, state, events, mark: before === null && previous.incident !== null && incident !== null ? 'entered' : null, held };
}
