import { transitionKey } from '@crosscheck/checks';
import { COORDINATOR_PREFIX } from '@crosscheck/contract';

/** The incidents feature's keys, under the coordinator's prefix `cc:c:`. */
export const incidentKeys = {
  /**
   * Hash: the monitor's incident machine. `state` (MonitorIncidentState JSON), `revision` (bumped on
   * every write; the compare-and-set of a transition), `classification` (latest round's
   * reconciliation summary JSON) and `classification:at` (its round's scheduled time).
   */
  monitorState: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:incident-state`,
  /** String, expires: set when a round was applied to the monitor's incident state (the `transitionKey`). */
  transition: (monitorId: string, roundId: string) => `${COORDINATOR_PREFIX}:${transitionKey(monitorId, roundId)}`,
  /** String: one incident as JSON (IncidentRecord). Expires a while after it resolves. */
  incident: (incidentId: string) => `${COORDINATOR_PREFIX}:incident:${incidentId}`,
  /** List: the incident's timeline, one JSON entry per transition, oldest first. Expires with the incident. */
  timeline: (incidentId: string) => `${COORDINATOR_PREFIX}:incident:${incidentId}:timeline`,
  /** Sorted set: every incident id, scored by `openedAt` (epoch ms). */
  all: () => `${COORDINATOR_PREFIX}:incidents`,
  /** Sorted set: open incident ids, scored by `openedAt`. */
  open: () => `${COORDINATOR_PREFIX}:incidents:open`,
  /** Sorted set: a monitor's incident ids, scored by `openedAt`. */
  ofMonitor: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:incidents`,
  /** Stream: events waiting for the event sink (the transactional outbox); consumer group `relay`. */
  outbox: () => `${COORDINATOR_PREFIX}:outbox`,
} as const;

/** Consumer group of the outbox relays (one consumer per coordinator). */
export const OUTBOX_GROUP = 'relay';
