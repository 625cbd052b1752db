import type { z } from 'zod';
import { channelDryRunSchema, channelPageSchema, channelPreviewSchema, channelSchema, channelWriteSchema, createdChannelSchema } from './channel';
import { policyDryRunSchema, policyPageSchema, policySchema, policyWriteSchema } from './policy';
import { agentListSchema, agentSchema, regionCoverageSchema } from './agent';
import { applyLockGrantSchema, applyLockStatusSchema } from './apply-lock';
import { fieldIssueSchema, problemSchema } from './problem';
import { eventIncidentSchema, incidentEventDataSchema, regionEventDataSchema, testEventDataSchema, webhookEventSchema, WEBHOOK_EVENT_SCHEMAS } from './events';
import { documentChangeSchema } from './dry-run';
import { fleetMonitorSchema, fleetRegionSchema, fleetStatusSchema } from './fleet-status';
import {
  acknowledgementEntrySchema,
  classificationSummarySchema,
  incidentDetailSchema,
  incidentPageSchema,
  incidentSchema,
  regionDigestSchema,
  timelineEntrySchema,
} from './incident';
import {
  incidentMaintenanceSchema,
  maintenanceDryRunSchema,
  maintenanceEntrySchema,
  maintenanceEventDataSchema,
  maintenanceOccurrenceSchema,
  maintenancePageSchema,
  maintenanceSchema,
  maintenanceWriteSchema,
} from './maintenance';
import { monitorDryRunSchema, monitorPageSchema, monitorSchema, monitorSpecViewSchema, monitorWriteSchema } from './monitor';
import { healthSchema, metricsTextSchema, queueCountsSchema, resealReportSchema, statsSchema } from './operations';
import { regionCreatedSchema, regionListSchema, regionSchema } from './region';
import { regionAgentCredentialsSchema, regionCredentialsRotationSchema } from './region-credentials';
import { monitorBaselinesSchema, monitorStatusSchema, regionReportSchema, resultEntrySchema, resultPageSchema } from './results';
import {
  publicDaySchema,
  publicIncidentSchema,
  publicMaintenanceSchema,
  publicMonitorSchema,
  publicStatusPageSchema,
  statusPageDryRunSchema,
  statusPageHtmlSchema,
  statusPagePageSchema,
  statusPageSchema,
  statusPageWriteSchema,
} from './status-page';
import { createdTokenSchema, tokenSchema } from './token';
import { latencySummarySchema, regionUptimeSchema, seriesPointSchema, seriesReportSchema, uptimeReportSchema } from './uptime';
import { cursorPageSchema } from './common';
import { causeSchema, expectationResultSchema, keyEvidenceSchema } from './verdict';
import {
  createdWebhookSchema,
  deliveryAttemptSchema,
  deliveryLogSchema,
  deliverySchema,
  endpointRecordSchema,
  webhookDryRunSchema,
  webhookPageSchema,
  webhookReplaySchema,
  webhookSchema,
  webhookSecretRotationSchema,
  webhookTestDeliverySchema,
  webhookWriteSchema,
} from './webhook';

/**
 * Every shape the API answers with and every event it sends, by the name it has in the OpenAPI
 * document (`#/components/schemas/<name>`). The document's components are generated from this
 * map (a schema used inside another named one becomes a `$ref`), so what the server's types say,
 * what the document says and what a client validates with are one thing.
 */
export const API_RESPONSE_SCHEMAS = {
  Problem: problemSchema,
  FieldIssue: fieldIssueSchema,
  MonitorSpec: monitorSpecViewSchema,
  Monitor: monitorSchema,
  MonitorPage: monitorPageSchema,
  DocumentChange: documentChangeSchema,
  MonitorDryRun: monitorDryRunSchema,
  MonitorWrite: monitorWriteSchema,
  Cause: causeSchema,
  KeyEvidence: keyEvidenceSchema,
  ExpectationResult: expectationResultSchema,
  RegionReport: regionReportSchema,
  RegionDigest: regionDigestSchema,
  ClassificationSummary: classificationSummarySchema,
  MonitorStatus: monitorStatusSchema,
  MonitorBaselines: monitorBaselinesSchema,
  ResultEntry: resultEntrySchema,
  ResultPage: resultPageSchema,
  FleetRegion: fleetRegionSchema,
  FleetMonitor: fleetMonitorSchema,
  FleetStatus: fleetStatusSchema,
  Incident: incidentSchema,
  IncidentPage: incidentPageSchema,
  TimelineEntry: timelineEntrySchema,
  AcknowledgementEntry: acknowledgementEntrySchema,
  IncidentMaintenance: incidentMaintenanceSchema,
  MaintenanceEntry: maintenanceEntrySchema,
  IncidentDetail: incidentDetailSchema,
  LatencySummary: latencySummarySchema,
  RegionUptime: regionUptimeSchema,
  UptimeReport: uptimeReportSchema,
  SeriesPoint: seriesPointSchema,
  SeriesReport: seriesReportSchema,
  Agent: agentSchema,
  RegionCoverage: regionCoverageSchema,
  Agents: agentListSchema,
  QueueCounts: queueCountsSchema,
  Health: healthSchema,
  Stats: statsSchema,
  MetricsText: metricsTextSchema,
  ResealReport: resealReportSchema,
  Region: regionSchema,
  RegionList: regionListSchema,
  RegionAgentCredentials: regionAgentCredentialsSchema,
  RegionCreated: regionCreatedSchema,
  RegionCredentialsRotation: regionCredentialsRotationSchema,
  ApplyLockGrant: applyLockGrantSchema,
  ApplyLockStatus: applyLockStatusSchema,
  Token: tokenSchema,
  CreatedToken: createdTokenSchema,
  TokenPage: cursorPageSchema(tokenSchema),
  Webhook: webhookSchema,
  WebhookDryRun: webhookDryRunSchema,
  WebhookWrite: webhookWriteSchema,
  CreatedWebhook: createdWebhookSchema,
  WebhookPage: webhookPageSchema,
  WebhookDeliveryAttempt: deliveryAttemptSchema,
  WebhookEndpointRecord: endpointRecordSchema,
  WebhookDeliveryPage: deliveryLogSchema,
  WebhookDelivery: deliverySchema,
  WebhookReplay: webhookReplaySchema,
  WebhookSecretRotation: webhookSecretRotationSchema,
  WebhookTestDelivery: webhookTestDeliverySchema,
  Channel: channelSchema,
  CreatedChannel: createdChannelSchema,
  ChannelPage: channelPageSchema,
  ChannelDryRun: channelDryRunSchema,
  ChannelWrite: channelWriteSchema,
  ChannelPreview: channelPreviewSchema,
  Policy: policySchema,
  PolicyPage: policyPageSchema,
  PolicyDryRun: policyDryRunSchema,
  PolicyWrite: policyWriteSchema,
  StatusPage: statusPageSchema,
  StatusPagePage: statusPagePageSchema,
  StatusPageDryRun: statusPageDryRunSchema,
  StatusPageWrite: statusPageWriteSchema,
  Maintenance: maintenanceSchema,
  MaintenanceOccurrence: maintenanceOccurrenceSchema,
  MaintenancePage: maintenancePageSchema,
  MaintenanceDryRun: maintenanceDryRunSchema,
  MaintenanceWrite: maintenanceWriteSchema,
  PublicStatusPage: publicStatusPageSchema,
  PublicStatusMonitor: publicMonitorSchema,
  PublicStatusIncident: publicIncidentSchema,
  PublicStatusDay: publicDaySchema,
  PublicStatusMaintenance: publicMaintenanceSchema,
  StatusPageHtml: statusPageHtmlSchema,
  EventIncident: eventIncidentSchema,
  IncidentEventData: incidentEventDataSchema,
  RegionEventData: regionEventDataSchema,
  TestEventData: testEventDataSchema,
  MaintenanceEventData: maintenanceEventDataSchema,
  IncidentOpenedEvent: WEBHOOK_EVENT_SCHEMAS['incident.opened'],
  IncidentUpdatedEvent: WEBHOOK_EVENT_SCHEMAS['incident.updated'],
  IncidentResolvedEvent: WEBHOOK_EVENT_SCHEMAS['incident.resolved'],
  RegionBlindEvent: WEBHOOK_EVENT_SCHEMAS['region.blind'],
  RegionRestoredEvent: WEBHOOK_EVENT_SCHEMAS['region.restored'],
  MaintenanceStartedEvent: WEBHOOK_EVENT_SCHEMAS['maintenance.started'],
  MaintenanceEndedEvent: WEBHOOK_EVENT_SCHEMAS['maintenance.ended'],
  WebhookTestEvent: WEBHOOK_EVENT_SCHEMAS['webhook.test'],
  IncidentEvent: webhookEventSchema,
} as const satisfies Record<string, z.ZodType>;

/** The name of a schema of {@link API_RESPONSE_SCHEMAS}. */
export type ApiResponseSchemaName = keyof typeof API_RESPONSE_SCHEMAS;

/** The component name of each webhook event type's payload. */
export const WEBHOOK_EVENT_COMPONENTS = {
  'incident.opened': 'IncidentOpenedEvent',
  'incident.updated': 'IncidentUpdatedEvent',
  'incident.resolved': 'IncidentResolvedEvent',
  'region.blind': 'RegionBlindEvent',
  'region.restored': 'RegionRestoredEvent',
  'maintenance.started': 'MaintenanceStartedEvent',
  'maintenance.ended': 'MaintenanceEndedEvent',
  'webhook.test': 'WebhookTestEvent',
} as const satisfies Record<keyof typeof WEBHOOK_EVENT_SCHEMAS, ApiResponseSchemaName>;
