import { eventIdFor, type MonitorIncidentState, type OpenIncident } from '@crosscheck/checks';
import type { OutboundEvent } from '../events/event-sink';
import type { ClassificationSummary, IncidentMonitorRef, IncidentRecord, TimelineEntry } from './incident-record';
import type { IncidentWrite } from './transition-plan';
import { incidentUrl } from './transition-plan';

/** The reason an incident resolves when its monitor is deleted: in the record, the timeline and the payload. */
export const MONITOR_DELETED = 'monitor_deleted';

/** Everything the resolution of a deleted monitor's incident is computed from. */
export interface DeletionInput {
  monitorId: string;
  /** Epoch ms: when the monitor was deleted; the event's time. */
  deletedAt: number;
  /** The regions the monitor checked from. */
  regions: readonly string[];
  /** The incident machine's state as last applied; its open incident is the one resolved. */
  state: MonitorIncidentState & { incident: OpenIncident };
  /** The open incident's record as stored, for the monitor it names (as the incident shows it). */
  record: IncidentRecord | null;
  /** The latest applied round's reconciliation, if any: what the regions last said. */
  classification: ClassificationSummary | null;
}

/** What resolving a deleted monitor's incident writes, with the `incident.resolved` event. */
export interface DeletionPlan {
  incident: IncidentWrite;
  event: OutboundEvent;
}

/**
 * The resolution of the open incident of a deleted monitor: resolved at the deletion, reason
 * {@link MONITOR_DELETED}, with the latest applied round as its context (no round will come).
 * Pure, and every id and time comes from the deletion, so two coordinators finishing the same
 * deletion plan the same writes (and only one commits them).
 */
export function planDeletion(input: DeletionInput): DeletionPlan {
  const { monitorId, deletedAt, state, record, classification } = input;
  const incident = state.incident;
  const at = new Date(deletedAt).toISOString();
  const monitor: IncidentMonitorRef = record?.monitor ?? { id: monitorId, name: monitorId, url: '' };
  const lastRound = classification
    ? { roundId: classification.roundId, scheduledAt: classification.scheduledAt, classification: classification.classification }
    : {
        roundId: state.lastRound?.roundId ?? incident.openedRoundId,
        scheduledAt: new Date(state.lastRound?.scheduledAt ?? incident.updatedAt).toISOString(),
        classification: incident.classification,
      };
  const resolved: IncidentRecord = {
    id: incident.id,
    monitorId,
    monitor,
    state: 'resolved',
    classification: incident.classification,
    severity: incident.severity,
    affectedRegions: [...incident.affectedRegions],
    startedAt: new Date(incident.startedAt).toISOString(),
    openedAt: new Date(incident.openedAt).toISOString(),
    openedRoundId: incident.openedRoundId,
    updatedAt: at,
    resolvedAt: at,
    resolvedRoundId: null,
    reason: MONITOR_DELETED,
    url: incidentUrl(incident.id),
  };
  const eventId = eventIdFor(monitorId, deletedAt, 'incident.resolved');
  const entry: TimelineEntry = {
    eventId,
    type: 'incident.resolved',
    at,
    roundId: lastRound.roundId,
    classification: lastRound.classification,
    incidentClassification: { before: incident.classification, after: null },
    affectedRegions: [...incident.affectedRegions],
    blindRegions: [],
    reason: MONITOR_DELETED,
    regions: {},
  };
  const event: OutboundEvent = {
    id: eventId,
    type: 'incident.resolved',
    timestamp: at,
    data: {
      incident: {
        id: resolved.id,
        state: resolved.state,
        classification: resolved.classification,
        severity: resolved.severity,
        affectedRegions: resolved.affectedRegions,
        startedAt: resolved.startedAt,
        openedAt: resolved.openedAt,
        resolvedAt: resolved.resolvedAt,
        url: resolved.url,
      },
      monitor: { ...monitor, regions: [...input.regions] },
      classification: { before: incident.classification, after: null, round: lastRound.classification },
      round: { roundId: lastRound.roundId, scheduledAt: lastRound.scheduledAt },
      reason: MONITOR_DELETED,
      affectedRegions: [...incident.affectedRegions],
      blindRegions: [],
      regions: {},
    },
  };
  return { incident: { record: resolved, score: incident.openedAt, entry }, event };
}
