/**
 * The API's response shapes, as the coordinator's own zod schemas say (`@crosscheck/contract`).
 * Types only: nothing of the contract (or zod) reaches the bundle.
 */
import type { AgentView, ChannelView, DeliveryAttemptView, EndpointRecordView, IncidentView, MaintenanceView, PolicyView, RegionCoverageView, WebhookView } from '@crosscheck/contract';

export type {
  AgentView,
  ChannelEventType,
  ChannelType,
  ChannelView,
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
  MaintenanceOccurrenceView,
  MaintenanceView,
  MonitorStatusView,
  MonitorView,
  PolicySeverity,
  PolicyView,
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

/** `GET /v1/channels`. */
export interface ChannelPageView {
  items: ChannelView[];
  nextCursor: string | null;
}

/**
 * What `POST /v1/channels/{id}/preview` answers: the body the channel would be sent for a sample
 * masked outage. `payload` is the receiver's format (Block Kit, an Adaptive Card, Events v2, a mail,
 * Standard Webhooks), so the dashboard reads it as untrusted JSON.
 */
export interface ChannelPreviewView {
  type: ChannelView['type'];
  event: string;
  payload: unknown;
}

/** `GET /v1/policies`. */
export interface PolicyPageView {
  items: PolicyView[];
  nextCursor: string | null;
}

/** `GET /v1/maintenance`: windows in creation order. */
export interface MaintenancePageView {
  items: MaintenanceView[];
  nextCursor: string | null;
}

/** Anything with a delivery log and a circuit: a webhook endpoint or a notification channel. */
export interface DeliveryEndpointView {
  revision: number;
  enabled: boolean;
  circuit: 'closed' | 'open' | 'half_open';
  consecutiveFailures: number;
  failingSince: string | null;
  disabledReason: string | null;
  disabledAt: string | null;
}
