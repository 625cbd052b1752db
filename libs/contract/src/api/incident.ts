import { CAUSE_CODES, CLASSIFICATIONS } from '@crosscheck/checks';
import { z } from 'zod';
import { cursorPageSchema, isoTimeSchema } from './common';
import { incidentMaintenanceSchema, maintenanceEntrySchema } from './maintenance';
import { causeSeveritySchema, keyEvidenceSchema, regionStatusSchema } from './verdict';

/** What reconciling a round concluded. */
export const classificationSchema = z.enum(CLASSIFICATIONS);

/** What an incident is about: a classification that is neither `operational` nor `unknown`. */
export const incidentClassificationSchema = z.enum(['degraded', 'outage', 'masked_outage', 'regional_outage']);

/** How bad an incident is. */
export const incidentSeveritySchema = z.enum(['critical', 'major', 'minor']);

/** Whether an incident is still going on. */
export const incidentStateSchema = z.enum(['open', 'resolved']);

/** How reconcile read one region's answer. */
export const regionReadingSchema = z.enum(['missing', 'refused', 'down_behind_cache', 'down_direct', 'cached_unverified', 'fresh']);

/** One cause of a region's verdict as incidents and webhooks carry it (message cut to a bounded length). */
export const causeDigestSchema = z.object({
  code: z.enum(CAUSE_CODES),
  severity: causeSeveritySchema,
  message: z.string(),
});

/** The key evidence of one region's answer, bounded: what a person needs to see why it was read so. */
export const evidenceDigestSchema = z.object({
  httpStatus: z.number().int().nullable(),
  cache: z.object({
    hit: z.boolean().nullable(),
    ageSeconds: z.number().nullable(),
    signals: z.array(z.string()),
    freshness: keyEvidenceSchema.shape.cache.shape.freshness,
  }),
  bypassStatus: z.number().int().nullable().describe('Status the cache-bypassing request got; `null` when none was made or it got no response.'),
  bypassError: z.string().nullable().describe('What the bypass request hit instead of a response (e.g. `connection_refused`).'),
  errorPageVendor: z.string().nullable().describe("Vendor of a proxy's own error page users got.").meta({ examples: ['nginx'] }),
  bypassErrorPageVendor: z.string().nullable().describe('Vendor of the error page the cache-bypassing request got behind a cache.'),
  probeError: z.string().nullable(),
  totalMs: z.number().nullable(),
  finalUrl: z.string().nullable(),
  content: keyEvidenceSchema.shape.content.describe(
    "The answer's validators (ETag, Last-Modified, a version the body names, a body hash): what `version_skew` compared, and what a frozen copy repeated.",
  ),
});

/** One region of a round, as an incident's timeline and the webhook payloads show it. */
export const regionDigestSchema = z
  .object({
    status: regionStatusSchema,
    affected: z.boolean().describe("The round's classification is about this region."),
    reading: regionReadingSchema,
    causes: z.array(causeDigestSchema),
    evidence: evidenceDigestSchema,
    note: z.string().nullable().describe('Why a region is blind (missing or refused), when known.'),
  })
  .describe("One region of a round: its verdict, causes and key evidence; `affected` when the round's classification is about it.");

/** The latest round's reconciliation, as `/v1/monitors/{id}/status` shows it. */
export const classificationSummarySchema = z
  .object({
    classification: classificationSchema,
    affectedRegions: z.array(z.string()),
    blindRegions: z.array(z.string()).describe('Regions that gave no usable answer.'),
    reason: z.string().meta({ examples: ['outage: down in 2 of 2 answering regions (lb_error_page nginx)'] }),
    decidedBy: z.array(z.string()).describe('The deciding rule, then the cause codes that carried the decision.').meta({ examples: [['outage_quorum', 'lb_error_page']] }),
    roundId: z.string(),
    scheduledAt: isoTimeSchema,
  })
  .describe("What reconciling the monitor's latest applied round concluded.");

/** The monitor an incident is about, as it was at the incident's latest transition. */
export const incidentMonitorRefSchema = z.object({ id: z.string(), name: z.string(), url: z.string().describe('URL userinfo redacted.') });

/** An incident as the API shows it (and as it is stored). */
export const incidentSchema = z.object({
  id: z.string().describe('`inc_<monitorId>_<scheduledAt of the round that opened it>`.').meta({ examples: ['inc_mon_2b4kq7xa3dhv6mnpz2re_1795598126000'] }),
  monitorId: z.string(),
  monitor: incidentMonitorRefSchema,
  state: incidentStateSchema,
  classification: incidentClassificationSchema,
  severity: incidentSeveritySchema,
  affectedRegions: z.array(z.string()),
  startedAt: isoTimeSchema.describe('First round of the streak that opened it: when the trouble was first seen.'),
  openedAt: isoTimeSchema.describe('The round that confirmed it.'),
  openedRoundId: z.string(),
  updatedAt: isoTimeSchema.describe('The round of the latest transition.'),
  resolvedAt: isoTimeSchema.nullable(),
  resolvedRoundId: z.string().nullable(),
  reason: z.string().describe("The reason of the latest transition's round."),
  url: z.string().meta({ examples: ['/v1/incidents/inc_mon_2b4kq7xa3dhv6mnpz2re_1795598126000'] }),
  acknowledgedAt: isoTimeSchema
    .nullable()
    .describe('When it was first acknowledged (`POST /v1/incidents/{id}/acknowledge`; later transitions keep it); `null` until then.'),
  acknowledgedBy: z.string().nullable().describe('Who acknowledged it, as they said (`by`); `null` when they did not say, or before.'),
  maintenance: incidentMaintenanceSchema.nullable().describe('Set while its monitor is in a maintenance window (see `GET /v1/maintenance`); `null` otherwise.'),
});
export type IncidentView = z.output<typeof incidentSchema>;

/** The webhook event types of an incident's transitions. */
export const incidentTransitionTypeSchema = z.enum(['incident.opened', 'incident.updated', 'incident.resolved']);

/** One transition of an incident, with its round and every region of that round. */
export const timelineEntrySchema = z
  .object({
    eventId: z.string().describe('The `webhook-id` of the event this transition sent.'),
    type: incidentTransitionTypeSchema,
    at: isoTimeSchema.describe("The round's scheduled time."),
    roundId: z.string(),
    classification: classificationSchema.describe('What the round was classified as.'),
    incidentClassification: z
      .object({ before: incidentClassificationSchema.nullable(), after: incidentClassificationSchema.nullable() })
      .describe("The incident's classification before and after the transition (`null`: none open)."),
    affectedRegions: z.array(z.string()),
    blindRegions: z.array(z.string()),
    reason: z.string(),
    regions: z.record(z.string(), regionDigestSchema),
  })
  .describe('One transition of an incident, with its round and every region of that round.');

/** The timeline entry an acknowledgement leaves. */
export const acknowledgementEntrySchema = z
  .object({
    type: z.literal('acknowledged'),
    at: isoTimeSchema,
    by: z.string().nullable().describe('Who acknowledged it, as they said; `null` when they did not say.'),
  })
  .describe('The timeline entry of an acknowledgement.');
export type AcknowledgementEntryView = z.output<typeof acknowledgementEntrySchema>;

/** One entry of an incident's timeline: a transition, or its acknowledgement. */
export const incidentTimelineEntrySchema = z.union([timelineEntrySchema, acknowledgementEntrySchema, maintenanceEntrySchema]);

/** `GET /v1/incidents/{id}`: the incident and its timeline, oldest first. */
export const incidentDetailSchema = incidentSchema.extend({
  timeline: z.array(incidentTimelineEntrySchema).describe('Its transitions, its acknowledgement and its maintenance windows, oldest first.'),
});
export type IncidentDetailView = z.output<typeof incidentDetailSchema>;

/** `GET /v1/incidents`: newest first (by `openedAt`). */
export const incidentPageSchema = cursorPageSchema(incidentSchema);
