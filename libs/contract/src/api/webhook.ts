import { INCIDENT_EVENT_TYPES } from '@crosscheck/checks';
import { z } from 'zod';
import { cursorPageSchema, isoTimeSchema, resourceIdSchema } from './common';
import { dryRunSchema } from './dry-run';
import { MAINTENANCE_EVENT_TYPES } from './maintenance';
import { presentedKeySchema } from './resource-key';

/** A webhook endpoint's id: `wh_` + 20 base-32 characters; ids sort by creation. */
export const webhookIdSchema = resourceIdSchema('wh', 'wh_23ocd2bqb2n2g4vyifld');

/** Event types an endpoint may subscribe to. */
export const webhookEventTypeSchema = z.enum([...INCIDENT_EVENT_TYPES, 'incident.reminder', ...MAINTENANCE_EVENT_TYPES]).meta({ examples: ['incident.opened'] });

/** Type of the synthetic event `POST /v1/webhooks/{id}/test` sends (not subscribable). */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** The type of any event a delivery carries: a subscribable one or `webhook.test`. */
export const deliveredEventTypeSchema = z.enum([...INCIDENT_EVENT_TYPES, 'incident.reminder', ...MAINTENANCE_EVENT_TYPES, WEBHOOK_TEST_EVENT]);

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export const webhookSecretSchema = z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/);

/** A webhook endpoint as the API shows it: never with its secret. */
export const webhookSchema = z.object({
  id: webhookIdSchema,
  key: presentedKeySchema(webhookIdSchema).meta({ examples: ['pager'] }),
  revision: z
    .number()
    .int()
    .min(1)
    .describe('1 on create, +1 per change of its settings or state (a PATCH, being disabled): the `ETag` (`"2"`) to send back as `If-Match`.')
    .meta({ examples: [2] }),
  url: z.string().meta({ examples: ['https://hooks.example/crosscheck'] }),
  events: z.array(webhookEventTypeSchema),
  description: z.string().nullable(),
  enabled: z
    .boolean()
    .describe('`false` once the receiver answered 410 Gone, failed continuously for `WEBHOOK_DISABLE_AFTER`, or after PATCH `{"enabled":false}`.'),
  state: z.enum(['enabled', 'disabled']),
  disabledReason: z.string().nullable(),
  disabledAt: isoTimeSchema.nullable(),
  circuit: z
    .enum(['closed', 'open', 'half_open'])
    .describe('`open`: deliveries wait (no attempt spent) until one probe may go; `half_open`: the probe is under way.'),
  consecutiveFailures: z.number().int().min(0).describe('Failed attempts since the last success.'),
  failingSince: isoTimeSchema.nullable().describe('First failure since the last success; `null` while healthy.'),
  previousSecretExpiresAt: isoTimeSchema.nullable().describe('Until when the secret replaced by the last rotation also signs.'),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type WebhookView = z.output<typeof webhookSchema>;

/** What a webhook write with `?dryRun=true` answers: nothing stored, no secret made. */
export const webhookDryRunSchema = dryRunSchema(webhookSchema).describe(
  'What a write with `?dryRun=true` would do: validated in full, nothing stored. `changes` compares `{key, url, events, description, enabled}`.',
);

/** What `PATCH /v1/webhooks/{id}` answers: the endpoint written, or, as a dry run, what writing would do. */
export const webhookWriteSchema = z
  .union([webhookSchema, webhookDryRunSchema])
  .describe('The endpoint as written (`ETag` its revision); with `?dryRun=true`, a `WebhookDryRun`.');

/** What `POST /v1/webhooks` answers: the endpoint and, this once, its signing secret. */
export const createdWebhookSchema = webhookSchema.extend({
  secret: webhookSecretSchema.describe('Signing secret (Standard Webhooks). Shown only here: store it now.'),
});

/** `GET /v1/webhooks`: endpoints in creation order. */
export const webhookPageSchema = cursorPageSchema(webhookSchema);

/** What `POST /v1/webhooks/{id}/rotate-secret` answers: the new secret, this once. */
export const webhookSecretRotationSchema = z.object({
  secret: webhookSecretSchema.describe('The new signing secret. Shown only here.'),
  previousSecretExpiresAt: isoTimeSchema.nullable().describe('Until when the previous secret also signs; `null` with no overlap.'),
});

/** What `POST /v1/webhooks/{id}/test` answers. */
export const webhookTestDeliverySchema = z.object({ eventId: z.string(), deliveryId: z.string() });

/** What `POST /v1/webhooks/{id}/replay` answers. */
export const webhookReplaySchema = z.object({
  replayed: z.number().int().min(0).describe('Dead letters queued again, with their original webhook-ids.'),
  expired: z.number().int().min(0).describe('Dead letters past their retention: no longer kept.'),
});

/** How one delivery attempt ended. */
export const deliveryOutcomeSchema = z
  .enum(['succeeded', 'retrying', 'failed', 'disabled', 'skipped', 'suppressed'])
  .describe(
    '`retrying`: another attempt follows; `failed`: the schedule ran out (or the target is refused); `disabled`: this attempt disabled the endpoint ' +
      '(410 Gone, or failing too long); `skipped`: not sent, the endpoint is disabled; `suppressed`: not sent, nothing new for this channel ' +
      '(a PagerDuty update whose summary did not change).',
  );

/** Where a delivery stands after an attempt. */
export const attemptStateSchema = z.enum(['scheduled', 'delivered', 'dead']);

/** One attempt to deliver one event to one endpoint. */
export const deliveryAttemptSchema = z.object({
  deliveryId: z.string().describe('One event to one endpoint (`<eventId>-<webhookId>`).'),
  eventId: z.string().describe('The `webhook-id` header: the same on every attempt, retry and replay.'),
  type: deliveredEventTypeSchema,
  attempt: z.number().int().min(1).describe('Within the current schedule (a retry or replay starts a fresh one).'),
  at: isoTimeSchema,
  status: z.number().int().nullable().describe('HTTP status; `null` when no response came, or nothing was sent.'),
  durationMs: z.number().int().min(0),
  error: z.string().nullable().meta({ examples: ['HTTP 500'] }),
  outcome: deliveryOutcomeSchema,
  state: attemptStateSchema.describe('The delivery after this attempt; `dead`: a dead letter, for retry or replay.'),
  nextAttemptAt: isoTimeSchema.nullable().describe('Earliest next attempt when `scheduled` (later if the circuit is open then).'),
});
export type DeliveryAttemptView = z.output<typeof deliveryAttemptSchema>;

/** Types of the records an endpoint's own changes of state leave in its delivery log. */
export const ENDPOINT_RECORD_TYPES = ['webhook.disabled', 'webhook.enabled'] as const;

/** An endpoint disabled (by a `410`, by failing for too long, or through the API) or enabled again. */
export const endpointRecordSchema = z.object({
  type: z.enum(ENDPOINT_RECORD_TYPES),
  at: isoTimeSchema,
  reason: z.string().meta({ examples: ['the receiver answered 410 Gone on 2026-11-25T09:15:26.128Z (event evt_…)'] }),
});
export type EndpointRecordView = z.output<typeof endpointRecordSchema>;

/** `GET /v1/webhooks/{id}/deliveries`: attempts and the endpoint's changes of state, newest first. */
export const deliveryLogSchema = z.object({
  items: z
    .array(z.union([deliveryAttemptSchema, endpointRecordSchema]))
    .describe("Attempts, and the endpoint's changes of state (`type` `webhook.disabled` / `webhook.enabled`), newest first."),
});

/** Where a delivery is now. */
export const deliveryStateSchema = z
  .enum(['pending', 'scheduled', 'sending', 'delivered', 'dead'])
  .describe('`scheduled`: waiting for its next attempt or for the circuit; `dead`: a dead letter (kept 30 days).');

/** One delivery as `GET /v1/webhooks/{id}/deliveries/{deliveryId}` shows it. */
export const deliverySchema = z.object({
  deliveryId: z.string(),
  eventId: z.string(),
  type: deliveredEventTypeSchema,
  state: deliveryStateSchema,
  attempts: z.number().int().min(0).describe('Attempts counted in its current schedule.'),
  createdAt: isoTimeSchema.describe("When it was queued; a replay's `since`/`until` compare with it."),
  finishedAt: isoTimeSchema.nullable(),
  lastError: z.string().nullable().meta({ examples: ['HTTP 503'] }),
});
export type DeliveryView = z.output<typeof deliverySchema>;
