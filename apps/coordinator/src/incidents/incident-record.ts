import type {
  acknowledgementEntrySchema,
  causeDigestSchema,
  classificationSummarySchema,
  evidenceDigestSchema,
  incidentMonitorRefSchema,
  incidentPageSchema,
  incidentTimelineEntrySchema,
  IncidentDetailView,
  IncidentView,
  incidentMaintenanceSchema,
  maintenanceEntrySchema,
  regionDigestSchema,
  timelineEntrySchema,
} from '@crosscheck/contract';
import type { z } from 'zod';

// The incident shapes are the API's (`@crosscheck/contract`): the record is stored as the API shows it, but for acknowledgements.

/** Whether an incident is still going on. */
export type IncidentState = IncidentView['state'];

/** One cause of a region's verdict, as incidents and webhooks carry it (message cut to a bounded length). */
export type CauseDigest = z.output<typeof causeDigestSchema>;

/** The key evidence of one region's answer: what a person needs to see why it was read so. */
export type EvidenceDigest = z.output<typeof evidenceDigestSchema>;

/** One region of a round, as an incident's timeline and the webhook payloads show it. */
export type RegionDigest = z.output<typeof regionDigestSchema>;

/** The latest round's reconciliation, as `/v1/monitors/{id}/status` shows it. */
export type ClassificationSummary = z.output<typeof classificationSummarySchema>;

/** The monitor an incident is about, as it was at the incident's latest transition. */
export type IncidentMonitorRef = z.output<typeof incidentMonitorRefSchema>;

/**
 * An incident as stored in `cc:{<shard>}:incident:<id>`: the API's shape, but records never
 * acknowledged lack `acknowledgedAt` and `acknowledgedBy`, which the API shows as `null`
 * ({@link presentIncident}). Times are ISO 8601.
 */
export type IncidentRecord = Omit<IncidentView, 'acknowledgedAt' | 'acknowledgedBy' | 'maintenance'> &
  Partial<Pick<IncidentView, 'acknowledgedAt' | 'acknowledgedBy' | 'maintenance'>>;

/** A record as the API shows it: never acknowledged (or stored before maintenance windows) is `null`, not absent. */
export function presentIncident(record: IncidentRecord): IncidentView {
  return { ...record, acknowledgedAt: record.acknowledgedAt ?? null, acknowledgedBy: record.acknowledgedBy ?? null, maintenance: record.maintenance ?? null };
}

/** An incident's maintenance mark, as its record carries it. */
export type IncidentMaintenance = z.output<typeof incidentMaintenanceSchema>;

/** The timeline entry of an open incident entering or leaving a maintenance window. */
export type MaintenanceEntry = z.output<typeof maintenanceEntrySchema>;

/** The timeline entry an acknowledgement leaves. */
export type AcknowledgementEntry = z.output<typeof acknowledgementEntrySchema>;

/** One entry of an incident's timeline as read: a transition, or an acknowledgement. */
export type IncidentTimelineEntry = z.output<typeof incidentTimelineEntrySchema>;

/** One transition of an incident, with its round and the per-region evidence. */
export type TimelineEntry = z.output<typeof timelineEntrySchema>;

/** `GET /v1/incidents/{id}`. */
export type IncidentDetail = IncidentDetailView;

/** `GET /v1/incidents`: newest first. */
export type IncidentPage = z.output<typeof incidentPageSchema>;
