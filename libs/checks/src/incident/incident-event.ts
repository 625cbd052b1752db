import type { Classification } from '../reconcile/classification';
import type { IncidentClassification, IncidentSeverity } from './incident-severity';

export const INCIDENT_EVENT_TYPES = ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored'] as const;

/** Stable strings: webhook subscribers filter on them. */
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

/** One event of a transition: what a webhook payload needs, nothing to look up. */
export interface IncidentEvent {
  type: IncidentEventType;
  /** `evt_<monitorId>_<scheduledAt>_<type>[_<region>]`: stable across retries, usable as the `webhook-id`. */
  eventId: string;
  /** The incident the event is about; for region events, the incident open after the round, if any. */
  incidentId: string | null;
  monitorId: string;
  roundId: string;
  /** Epoch ms: the round's scheduled time (the machine reads no clock). */
  at: number;
  /** The open incident's classification before this round; `null` when none was open. */
  classificationBefore: IncidentClassification | null;
  /** The open incident's classification after this round; `null` when none is open (e.g. resolved). */
  classificationAfter: IncidentClassification | null;
  /** What this round was classified as. */
  roundClassification: Classification;
  /** The incident's severity (after the round; before it, for `incident.resolved`); `null` without one. */
  severity: IncidentSeverity | null;
  /** The incident's affected regions after the round (before it, for `incident.resolved`); for region events, the region. */
  affectedRegions: string[];
  /** The incident's affected regions before the round; empty when none was open. */
  affectedRegionsBefore: string[];
  /** Regions that gave no usable answer in this round. */
  blindRegions: string[];
  /** The region of a `region.*` event; `null` otherwise. */
  region: string | null;
  /** One line a person reads in a page. */
  reason: string;
}
