import { z } from 'zod';
import { isoTimeSchema } from './common';
import { classificationSchema, incidentClassificationSchema, incidentSchema, regionDigestSchema } from './incident';
import { maintenanceEventDataSchema } from './maintenance';
import { WEBHOOK_TEST_EVENT } from './webhook';

/** The incident an event is about, as the event carries it (the API's record has more). */
export const eventIncidentSchema = incidentSchema.pick({
  id: true,
  state: true,
  classification: true,
  severity: true,
  affectedRegions: true,
  startedAt: true,
  openedAt: true,
  resolvedAt: true,
  url: true,
});

/** What every incident and region event's `data` carries. */
const eventDataBase = z.object({
  monitor: z.object({
    id: z.string(),
    name: z.string(),
    url: z.string().describe('URL userinfo redacted.'),
    regions: z.array(z.string()),
  }),
  classification: z
    .object({
      before: incidentClassificationSchema.nullable(),
      after: incidentClassificationSchema.nullable(),
      round: classificationSchema,
    })
    .describe("The incident's classification before and after the event (`null`: none open), and the round's."),
  round: z.object({ roundId: z.string(), scheduledAt: isoTimeSchema }),
  reason: z.string(),
  affectedRegions: z.array(z.string()),
  blindRegions: z.array(z.string()),
  regions: z.record(z.string(), regionDigestSchema).describe('Every region of the round with its verdict, causes and key evidence.'),
});

/** `data` of `incident.opened`, `incident.updated` and `incident.resolved`. */
export const incidentEventDataSchema = eventDataBase.extend({
  incident: eventIncidentSchema,
  region: z.string().optional(),
});
export type IncidentEventData = z.output<typeof incidentEventDataSchema>;

/** `data` of `region.blind` and `region.restored`: the region, and the incident open then (`null` when none is). */
export const regionEventDataSchema = eventDataBase.extend({
  incident: eventIncidentSchema.nullable(),
  region: z.string().describe('The region that went blind or came back.'),
});
export type RegionEventData = z.output<typeof regionEventDataSchema>;

/** `data` of `webhook.test`. */
export const testEventDataSchema = z.object({
  webhookId: z.string(),
  url: z.string(),
  message: z.string(),
});

/** A Standard Webhooks payload: `{type, timestamp, data}`. */
function eventSchema<T extends string, D extends z.ZodType>(type: T, data: D, description: string) {
  return z
    .object({ type: z.literal(type), timestamp: isoTimeSchema.describe("When it happened: the round's scheduled time."), data })
    .describe(description);
}

/** Every event the coordinator sends to webhooks, by type: the body of each delivery. */
export const WEBHOOK_EVENT_SCHEMAS = {
  'incident.opened': eventSchema('incident.opened', incidentEventDataSchema, 'An incident was confirmed: its state held for `openAfter` rounds.'),
  'incident.updated': eventSchema(
    'incident.updated',
    incidentEventDataSchema,
    "An open incident's classification or affected regions changed (held for `updateAfter` rounds).",
  ),
  'incident.resolved': eventSchema(
    'incident.resolved',
    incidentEventDataSchema,
    'An incident ended: healthy for `resolveAfter` rounds, or its monitor was deleted (`reason` says `monitor_deleted`).',
  ),
  'region.blind': eventSchema('region.blind', regionEventDataSchema, "A region of a monitor gave no usable answer for `blindAfter` rounds: its agents went silent."),
  'region.restored': eventSchema('region.restored', regionEventDataSchema, 'A blind region answers again.'),
  'maintenance.started': eventSchema(
    'maintenance.started',
    maintenanceEventDataSchema,
    'An occurrence of a maintenance window began (`timestamp`: its start): its monitors open no incident and page nothing until it ends. Sent only to endpoints that subscribe to it.',
  ),
  'maintenance.ended': eventSchema(
    'maintenance.ended',
    maintenanceEventDataSchema,
    'An occurrence of a maintenance window ended (`timestamp`: its end); trouble that held through it opens its incident at the next round. Sent only to endpoints that subscribe to it.',
  ),
  [WEBHOOK_TEST_EVENT]: eventSchema(WEBHOOK_TEST_EVENT, testEventDataSchema, 'Sent by `POST /v1/webhooks/{id}/test` to that endpoint alone.'),
} as const;

/** The body of any webhook delivery, told apart by `type`. */
export const webhookEventSchema = z.discriminatedUnion('type', [
  WEBHOOK_EVENT_SCHEMAS['incident.opened'],
  WEBHOOK_EVENT_SCHEMAS['incident.updated'],
  WEBHOOK_EVENT_SCHEMAS['incident.resolved'],
  WEBHOOK_EVENT_SCHEMAS['region.blind'],
  WEBHOOK_EVENT_SCHEMAS['region.restored'],
  WEBHOOK_EVENT_SCHEMAS['maintenance.started'],
  WEBHOOK_EVENT_SCHEMAS['maintenance.ended'],
  WEBHOOK_EVENT_SCHEMAS[WEBHOOK_TEST_EVENT],
]);
export type WebhookEvent = z.output<typeof webhookEventSchema>;

/**
 * The `data` of any incident or region event, as the server builds it: the incident nullable and
 * the region optional. Each event type's own schema above is the narrower truth for a receiver.
 */
export const outboundEventDataSchema = eventDataBase.extend({
  incident: eventIncidentSchema.nullable(),
  region: z.string().optional(),
});
export type OutboundEventData = z.output<typeof outboundEventDataSchema>;
