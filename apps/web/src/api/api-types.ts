/**
 * The API's response shapes, as the coordinator's own zod schemas say (`@crosscheck/contract`).
 * Types only: nothing of the contract (or zod) reaches the bundle.
 */
import type { AgentView, DeliveryAttemptView, EndpointRecordView, IncidentView, RegionCoverageView, WebhookView } from '@crosscheck/contract';

export type {
  AgentView,
  DeliveryAttemptView,
  DeliveryView,
  EndpointRecordView,
  FieldIssue,
  FleetMonitorView,
  FleetRegionView,
  FleetStatusView,
  IncidentDetailView,
  IncidentView,
  LatencySummary,
  MonitorStatusView,
  MonitorView,
  Problem,
  RegionCoverageView,
  RegionListView,
  RegionView,
  ResultEntryView,
  SeriesPoint,
  SeriesReport,
  SeriesStep,
  UptimeReport,
  UptimeWindow,
  WebhookView,
} from '@crosscheck/contract';
export type { CauseCode, Classification, RegionReading } from '@crosscheck/checks';

/** `GET /v1/incidents`: newest first. */
export interface IncidentPageView {
  items: IncidentView[];
  nextCursor: string | null;
}

/** A region's status in a round: a verdict, or `missing` when it did not answer (never `down`). */
export type RegionStatus = 'up' | 'degraded' | 'down' | 'missing';

/** `GET /v1/agents`. */
export interface AgentListView {
  agents: AgentView[];
  regions: Record<string, RegionCoverageView>;
}

/** `GET /v1/webhooks`. */
export interface WebhookPageView {
  items: WebhookView[];
  nextCursor: string | null;
}

/** `GET /v1/webhooks/{id}/deliveries`: attempts and the endpoint's changes of state, newest first. */
export interface DeliveryLogView {
  items: (DeliveryAttemptView | EndpointRecordView)[];
}
