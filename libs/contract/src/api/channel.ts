import { z } from 'zod';
import { cursorPageSchema, isoTimeSchema } from './common';
import { CHANNEL_EVENT_TYPES, CHANNEL_ROUTING, CHANNEL_TYPES } from './channel-input';
import { dryRunSchema } from './dry-run';
import { presentedKeySchema } from './resource-key';
import { webhookSecretSchema } from './webhook';

/** A channel's id: `ch_` + 20 base-32 characters (a webhook made through `/v1/webhooks` keeps its `wh_` id). */
export const channelIdSchema = z
  .string()
  .regex(/^(ch|wh)_[a-z2-7]{20}$/, 'must be a channel id (ch_ or wh_ + 20 characters of a-z and 2-7)')
  .meta({ examples: ['ch_23ocd2bqb2n2g4vyifld'] });

/** What a channel's id may look like. */
export const CHANNEL_ID_PATTERN = /^(ch|wh)_[a-z2-7]{20}$/;

const settingsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pagerduty'), endpointUrl: z.string() }),
  z.object({ type: z.literal('slack') }),
  z.object({ type: z.literal('teams') }),
  z.object({
    type: z.literal('email'),
    smtp: z.object({ host: z.string(), port: z.number().int(), secure: z.boolean(), username: z.string().nullable() }),
    from: z.string(),
    to: z.array(z.string()),
  }),
  z.object({ type: z.literal('webhook'), url: z.string() }),
]);

/** A notification channel as the API shows it: never with its secrets (`secretHints` says which are set). */
export const channelSchema = z.object({
  id: channelIdSchema,
  key: presentedKeySchema(channelIdSchema).meta({ examples: ['payments-pagerduty'] }),
  revision: z.number().int().min(1).describe('1 on create, +1 per change: the `ETag` to send back as `If-Match`.'),
  type: z.enum(CHANNEL_TYPES),
  name: z.string().meta({ examples: ['Payments on-call'] }),
  description: z.string().nullable(),
  events: z.array(z.enum(CHANNEL_EVENT_TYPES)),
  routing: z
    .enum(CHANNEL_ROUTING)
    .describe('`policies`: what a policy or a monitor routes to it; `subscribed`: every event of its `events`, for every monitor.'),
  settings: settingsSchema.describe("The type's settings, secrets left out."),
  secretHints: z
    .record(z.string(), z.string())
    .describe('Each secret that is set, by field, as its last 4 characters (`routingKey: "…9f2c"`); the secret itself is never shown.'),
  enabled: z.boolean().describe('`false` once the receiver answered 410 Gone, failed continuously for `WEBHOOK_DISABLE_AFTER`, or after PATCH `{"enabled":false}`.'),
  state: z.enum(['enabled', 'disabled']),
  disabledReason: z.string().nullable(),
  disabledAt: isoTimeSchema.nullable(),
  circuit: z.enum(['closed', 'open', 'half_open']),
  consecutiveFailures: z.number().int().min(0),
  failingSince: isoTimeSchema.nullable(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type ChannelView = z.output<typeof channelSchema>;

/** What `POST /v1/channels` answers: the channel and, for a `webhook` channel, this once, its signing secret. */
export const createdChannelSchema = channelSchema.extend({
  secret: webhookSecretSchema.optional().describe('A webhook channel\'s Standard Webhooks signing secret. Shown only here.'),
});

export const channelPageSchema = cursorPageSchema(channelSchema);

export const channelDryRunSchema = dryRunSchema(channelSchema).describe('What a write with `?dryRun=true` would do: validated in full, nothing stored or sent.');

export const channelWriteSchema = z.union([channelSchema, channelDryRunSchema]);

/** What `POST /v1/channels/{id}/preview` answers: exactly what the channel would be sent for a sample event. */
export const channelPreviewSchema = z.object({
  type: z.enum(CHANNEL_TYPES),
  event: z.string().describe('The event type rendered.'),
  payload: z.unknown().describe('The request body (PagerDuty, Slack, Teams, webhook) or the mail (`{subject, text, html, headers}`), secrets left out.'),
});
