import {
  redactDeep,
  redactUrl,
  type HeldTransition,
  type IncidentEvent,
  type IncidentTransition,
  type MonitorIncidentState,
  type OpenIncident,
  type Reconciliation,
} from '@crosscheck/checks';
import type { OutboundEvent } from '../events/event-sink';
import type { Monitor } from '../monitors/monitor';
import type { RoundSummary } from '../results/round';
import type { RollupBucket } from '../rollups/rollup-bucket';
import { roundRollup } from '../rollups/round-rollup';
import type { ClassificationSummary, IncidentMaintenance, IncidentRecord, IncidentState, MaintenanceEntry, RegionDigest, TimelineEntry } from './incident-record';
import { cut, regionDigest } from './region-digest';

/** Longest `reason` line kept in a record, a timeline entry or a payload. */
const REASON_MAX = 1_000;

/** Everything one transition is computed from. */
export interface TransitionInput {
  monitor: Pick<Monitor, 'id' | 'name' | 'regions' | 'intervalSeconds'> & { spec: Pick<Monitor['spec'], 'url'> };
  summary: RoundSummary;
  reconciliation: Reconciliation;
  /** The state the transition was computed from. */
  previous: MonitorIncidentState;
  /** The machine's transition after the maintenance hold (`holdForMaintenance`). */
  transition: IncidentTransition & { mark?: HeldTransition['mark'] };
  /** Whether the round fell in a maintenance window of its monitor (its rollup counts it as maintenance). */
  inMaintenance?: boolean;
}

/** The incident an incident event writes: its record, its index score and its new timeline entry. */
export interface IncidentWrite {
  record: IncidentRecord;
  /** `openedAt`, epoch ms: the score in the incident indexes. */
  score: number;
  entry: TimelineEntry | MaintenanceEntry;
}

/** What committing a transition writes, all in one atomic step. */
export interface TransitionPlan {
  /** The new state; `null` when the round was ignored (older than the last applied one). */
  state: MonitorIncidentState | null;
  /** The round's classification, for `/status`. */
  classification: ClassificationSummary;
  /** The incident opened, updated or resolved by this round, if any (the machine makes at most one). */
  incident: IncidentWrite | null;
  /** Every event of the transition, ready for the event sink: incident events first, then region events. */
  events: OutboundEvent[];
  /** The round's uptime and latency rollup, which the commit adds into every tier. */
  rollup: RollupBucket;
}

/**
 * Turns a computed transition into the writes that commit it: the incident record and timeline
 * entry, the round's classification and one outbound event per incident event. Pure: every id and
 * time comes from the round, so replicas computing the same transition plan the same writes.
 */
export function planTransition(input: TransitionInput): TransitionPlan {
  const { monitor, summary, reconciliation, transition } = input;
  const affected = new Set(reconciliation.affectedRegions);
  const regions: Record<string, RegionDigest> = {};
  for (const region of Object.keys(summary.regions).sort()) {
    regions[region] = regionDigest(summary.regions[region], reconciliation.evidence[region], affected.has(region));
  }

  const incidentEvents = transition.events.filter((event) => event.type.startsWith('incident.'));
  if (incidentEvents.length > 1) {
    throw new Error(`a transition must carry at most one incident event, got ${incidentEvents.map((e) => e.type).join(', ')}`);
  }
  const incidentEvent = incidentEvents[0];
  const mark = maintenanceOf(transition.state);
  const incident = incidentEvent ? incidentWrite(incidentEvent, input, regions) : maintenanceWrite(input, mark);

  // Region events name the incident open after the round, if any.
  const openAfter = transition.state.incident;
  const openRecord =
    incident && incident.record.state === 'open'
      ? incident.record
      : openAfter
        ? recordOf(openAfter, monitor, 'open', null, openAfter.updatedAt, openAfter.reason, mark)
        : null;

  const events = transition.events.map((event) =>
    outboundEvent(event, input, regions, event === incidentEvent && incident ? incident.record : openRecord),
  );
  return {
    state: transition.disposition === 'ignored' ? null : transition.state,
    classification: {
      classification: reconciliation.classification,
      affectedRegions: [...reconciliation.affectedRegions],
      blindRegions: [...reconciliation.blindRegions],
      reason: cut(reconciliation.reason, REASON_MAX),
      decidedBy: [...reconciliation.decidedBy],
      roundId: summary.roundId,
      scheduledAt: iso(summary.scheduledAt),
    },
    incident,
    events,
    rollup: roundRollup({
      regions: summary.regions,
      classification: reconciliation.classification,
      intervalSeconds: monitor.intervalSeconds,
      incidentOpen: transition.state.incident !== null,
      inMaintenance: input.inMaintenance ?? false,
    }),
  };
}

function incidentWrite(event: IncidentEvent, input: TransitionInput, regions: Record<string, RegionDigest>): IncidentWrite {
  const { monitor, previous, transition } = input;
  const resolved = event.type === 'incident.resolved';
  const incident = resolved ? previous.incident : transition.state.incident;
  if (!incident) throw new Error(`${event.type} of monitor ${monitor.id} without the incident it is about`);
  const record = recordOf(incident, monitor, resolved ? 'resolved' : 'open', resolved ? event : null, event.at, event.reason, resolved ? null : maintenanceOf(transition.state));
  const entry: TimelineEntry = {
    eventId: event.eventId,
    type: event.type as TimelineEntry['type'],
    at: iso(event.at),
    roundId: event.roundId,
    classification: event.roundClassification,
    incidentClassification: { before: event.classificationBefore, after: event.classificationAfter },
    affectedRegions: [...event.affectedRegions],
    blindRegions: [...event.blindRegions],
    reason: cut(event.reason, REASON_MAX),
    regions,
  };
  return { record, score: incident.openedAt, entry };
}

/**
 * The write of an open incident entering or leaving a maintenance window: its record with the mark
 * set or cleared and a timeline entry; no event (nothing pages for it).
 */
function maintenanceWrite(input: TransitionInput, mark: IncidentMaintenance | null): IncidentWrite | null {
  const { monitor, previous, transition, summary } = input;
  const incident = transition.state.incident;
  if (!transition.mark || incident === null) return null;
  const window = transition.mark === 'entered' ? transition.state.maintenance : previous.maintenance;
  if (!window) return null;
  const entered = transition.mark === 'entered';
  const entry: MaintenanceEntry = {
    type: entered ? 'maintenance.entered' : 'maintenance.left',
    at: iso(summary.scheduledAt),
    roundId: summary.roundId,
    windowId: window.windowId,
    reason: cut(entered ? `in maintenance (${window.reason}): nothing is sent about this incident but its resolution` : `maintenance over (${window.reason})`, REASON_MAX),
  };
  return { record: recordOf(incident, monitor, 'open', null, incident.updatedAt, incident.reason, mark), score: incident.openedAt, entry };
}

function maintenanceOf(state: MonitorIncidentState): IncidentMaintenance | null {
  const mark = state.maintenance;
  return mark ? { windowId: mark.windowId, since: iso(mark.since), reason: mark.reason } : null;
}

function recordOf(
  incident: OpenIncident,
  monitor: TransitionInput['monitor'],
  state: IncidentState,
  resolvedBy: Pick<IncidentEvent, 'at' | 'roundId'> | null,
  updatedAt: number,
  reason: string,
  maintenance: IncidentMaintenance | null,
): IncidentRecord {
  return {
    id: incident.id,
    monitorId: monitor.id,
    monitor: { id: monitor.id, name: monitor.name, url: redactUrl(monitor.spec.url) },
    state,
    classification: incident.classification,
    severity: incident.severity,
    affectedRegions: [...incident.affectedRegions],
    startedAt: iso(incident.startedAt),
    openedAt: iso(incident.openedAt),
    openedRoundId: incident.openedRoundId,
    updatedAt: iso(updatedAt),
    resolvedAt: resolvedBy ? iso(resolvedBy.at) : null,
    resolvedRoundId: resolvedBy ? resolvedBy.roundId : null,
    reason: cut(reason, REASON_MAX),
    url: incidentUrl(incident.id),
    maintenance,
  };
}

/**
 * The Standard Webhooks payload of one event: `{type, timestamp, data}` plus the stable id. `data`
 * carries the incident, the monitor, the classification before and after, the round, and every
 * region of the round with its verdict, causes and key evidence (the affected ones flagged). No
 * secret leaves in it: the monitor's URL loses its userinfo, and so does every string of `data`.
 */
function outboundEvent(event: IncidentEvent, input: TransitionInput, regions: Record<string, RegionDigest>, incident: IncidentRecord | null): OutboundEvent {
  const { monitor, summary } = input;
  return {
    id: event.eventId,
    type: event.type,
    timestamp: iso(event.at),
    data: redactDeep({
      incident: incident
        ? {
            id: incident.id,
            state: incident.state,
            classification: incident.classification,
            severity: incident.severity,
            affectedRegions: incident.affectedRegions,
            startedAt: incident.startedAt,
            openedAt: incident.openedAt,
            resolvedAt: incident.resolvedAt,
            url: incident.url,
          }
        : null,
      monitor: { id: monitor.id, name: monitor.name, url: redactUrl(monitor.spec.url), regions: [...monitor.regions] },
      classification: { before: event.classificationBefore, after: event.classificationAfter, round: event.roundClassification },
      round: { roundId: summary.roundId, scheduledAt: iso(summary.scheduledAt) },
      reason: cut(event.reason, REASON_MAX),
      ...(event.region !== null ? { region: event.region } : {}),
      affectedRegions: [...event.affectedRegions],
      blindRegions: [...event.blindRegions],
      regions,
    }),
  };
}

/** The API path of an incident. */
export function incidentUrl(incidentId: string): string {
  return `/v1/incidents/${incidentId}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
