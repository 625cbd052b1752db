import { INCIDENT_EVENT_TYPES } from '@crosscheck/checks';
import { z } from 'zod';
import { fieldIssuesOf, type FieldIssue } from './field-issue';
import { MAINTENANCE_EVENT_TYPES } from './maintenance';
import { resourceKeySchema } from './resource-key';
import type { WebhookUrlPolicy } from './webhook-input';

/** How a channel sends: the tools an on-call person holds, and Standard Webhooks for the rest. */
export const CHANNEL_TYPES = ['pagerduty', 'slack', 'teams', 'email', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Sent to the channels of a policy while an open incident stays unacknowledged (and to its escalation step's). */
export const REMINDER_EVENT_TYPE = 'incident.reminder';

/** Every event a channel can take: the incident lifecycle, region blindness, reminders and maintenance windows. */
export const CHANNEL_EVENT_TYPES = [...INCIDENT_EVENT_TYPES, REMINDER_EVENT_TYPE, ...MAINTENANCE_EVENT_TYPES] as const;
export type ChannelEventType = (typeof CHANNEL_EVENT_TYPES)[number];

/** What a channel created without `events` takes: everything but maintenance windows (they page nobody). */
export const DEFAULT_CHANNEL_EVENT_TYPES: readonly ChannelEventType[] = [...INCIDENT_EVENT_TYPES, REMINDER_EVENT_TYPE];

/**
 * How events reach a channel. `policies`: what a notification policy or a monitor's `channels`
 * routes to it (the default, but for webhooks). `subscribed`: every event of its `events`, for
 * every monitor, as `/v1/webhooks` endpoints always have (the webhook default).
 */
export const CHANNEL_ROUTING = ['policies', 'subscribed'] as const;
export type ChannelRouting = (typeof CHANNEL_ROUTING)[number];

/** The Events API v2 endpoint a PagerDuty channel posts to unless told otherwise. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export const MAX_CHANNEL_NAME_LENGTH = 200;
export const MAX_CHANNEL_DESCRIPTION_LENGTH = 500;
export const MAX_CHANNEL_URL_LENGTH = 2_048;
/** Most recipients of an email channel. */
export const MAX_EMAIL_RECIPIENTS = 50;

/** A channel body that does not validate; `issues` name every field at fault. Answered with 400. */
export class InvalidChannelError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid channel: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidChannelError';
  }
}

const typeError =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expected}`;

/** An http(s) URL without credentials, judged by `policy` (the deployment's refused ranges) when there is one. */
const httpUrl = (policy: WebhookUrlPolicy | null, what: string) =>
  z
    .string({ error: typeError(`the ${what} (a string)`) })
    .max(MAX_CHANNEL_URL_LENGTH, `must be at most ${MAX_CHANNEL_URL_LENGTH} characters`)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be the ${what}: an absolute http:// or https:// URL` });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
      else if (url.username !== '' || url.password !== '') ctx.addIssue({ code: 'custom', message: 'must not carry credentials in the URL' });
      else {
        const refused = policy?.refusedUrl(url) ?? null;
        if (refused !== null) ctx.addIssue({ code: 'custom', message: `refused target: ${refused}` });
      }
    });

const nameSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_CHANNEL_NAME_LENGTH, `must be at most ${MAX_CHANNEL_NAME_LENGTH} characters`);

const descriptionSchema = z
  .string({ error: 'must be a string or null' })
  .trim()
  .max(MAX_CHANNEL_DESCRIPTION_LENGTH, `must be at most ${MAX_CHANNEL_DESCRIPTION_LENGTH} characters`)
  .nullable();

const eventsSchema = z
  .array(
    z
      .string({ error: typeError('a string') })
      .refine((type) => (CHANNEL_EVENT_TYPES as readonly string[]).includes(type), {
        error: (issue) => `unknown event type ${JSON.stringify(issue.input)}; one of ${CHANNEL_EVENT_TYPES.join(', ')}`,
      })
      .meta({ enum: [...CHANNEL_EVENT_TYPES] }),
    { error: typeError('an array of event types') },
  )
  .min(1, 'must name at least one event type (leave it out for the default ones)')
  .superRefine((events, ctx) => {
    events.forEach((type, index) => {
      if (events.indexOf(type) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate event type "${type}"` });
    });
  })
  .transform((events) => events as ChannelEventType[]);

/** A PagerDuty integration key: 32 characters as PagerDuty issues them; anything printable up to 128 is taken. */
const routingKeySchema = z
  .string({ error: typeError('the integration (routing) key of a PagerDuty service, a string') })
  .trim()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const emailAddress = z.email({ error: typeError('an email address') });

const smtpSchema = z
  .object({
    host: z
      .string({ error: typeError('the SMTP server host name or address') })
      .trim()
      .min(1, 'must not be empty')
      .max(253, 'must be at most 253 characters')
      .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IP address'),
    port: z.number({ error: typeError('a port number') }).int('must be a whole number').min(1, 'must be 1-65535').max(65_535, 'must be 1-65535').optional(),
    secure: z
      .boolean({ error: typeError('true or false') })
      .optional()
      .describe('`true`: TLS from the first byte (port 465); `false` (default): STARTTLS when the server offers it.'),
    username: z.string({ error: typeError('a string') }).min(1, 'must not be empty').max(256).optional(),
    password: z.string({ error: typeError('a string') }).min(1, 'must not be empty').max(1_024).optional().describe('A secret: sealed at rest, never shown.'),
  })
  .strict();

const common = {
  key: resourceKeySchema.optional(),
  name: nameSchema,
  description: descriptionSchema.optional(),
  events: eventsSchema.optional(),
  routing: z.enum(CHANNEL_ROUTING, { error: `must be one of ${CHANNEL_ROUTING.join(', ')}` }).optional(),
};

/** A `POST /v1/channels` body as the API validates it; also the source of the CLI's JSON Schema. */
export const channelCreateSchema = (policy: WebhookUrlPolicy | null) =>
  z.discriminatedUnion(
    'type',
    [
      z
        .object({
          type: z.literal('pagerduty'),
          ...common,
          routingKey: routingKeySchema.describe('The integration key of an Events API v2 integration: a secret, sealed at rest, never shown.'),
          endpointUrl: httpUrl(policy, 'Events API v2 URL').optional().describe(`Where events go (default ${PAGERDUTY_EVENTS_URL}): a private relay, or a test receiver.`),
        })
        .strict(),
      z
        .object({
          type: z.literal('slack'),
          ...common,
          webhookUrl: httpUrl(policy, 'Slack incoming webhook URL').describe('The incoming webhook URL (https://hooks.slack.com/services/…): a secret, sealed at rest, never shown.'),
        })
        .strict(),
      z
        .object({
          type: z.literal('teams'),
          ...common,
          webhookUrl: httpUrl(policy, 'Teams Workflows webhook URL').describe('The URL of a Workflows "When a Teams webhook request is received" trigger: a secret, sealed at rest, never shown.'),
        })
        .strict(),
      z
        .object({
          type: z.literal('email'),
          ...common,
          smtp: smtpSchema,
          from: emailAddress,
          to: z
            .array(emailAddress, { error: typeError('an array of email addresses') })
            .min(1, 'must name at least one recipient')
            .max(MAX_EMAIL_RECIPIENTS, `must name at most ${MAX_EMAIL_RECIPIENTS} recipients`),
        })
        .strict(),
      z
        .object({
          type: z.literal('webhook'),
          ...common,
          url: httpUrl(policy, 'receiver URL'),
        })
        .strict(),
    ],
    { error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${CHANNEL_TYPES.join(', ')}`) },
  );

/** The request body as a schema, for the OpenAPI document (URLs judged by their form only). */
export const channelInputSchema = channelCreateSchema(null);
export type ChannelBody = z.output<typeof channelInputSchema>;

/** A channel's secrets by type: what is sealed at rest and never shown. */
export interface ChannelSecrets {
  routingKey?: string;
  webhookUrl?: string;
  smtpPassword?: string;
}

/** A channel's settings that are shown (everything but its secrets). */
export type ChannelSettings =
  | { type: 'pagerduty'; endpointUrl: string }
  | { type: 'slack' }
  | { type: 'teams' }
  | { type: 'email'; smtp: { host: string; port: number; secure: boolean; username: string | null }; from: string; to: string[] }
  | { type: 'webhook'; url: string };

/** A validated `POST /v1/channels` body, defaults applied, its secrets apart. */
export interface ChannelInput {
  key?: string;
  name: string;
  description: string | null;
  events: ChannelEventType[];
  routing: ChannelRouting;
  settings: ChannelSettings;
  secrets: ChannelSecrets;
}

/** The settings and secrets of a parsed body. */
function splitBody(body: ChannelBody): { settings: ChannelSettings; secrets: ChannelSecrets } {
  switch (body.type) {
    case 'pagerduty':
      return { settings: { type: 'pagerduty', endpointUrl: body.endpointUrl ?? PAGERDUTY_EVENTS_URL }, secrets: { routingKey: body.routingKey } };
    case 'slack':
      return { settings: { type: 'slack' }, secrets: { webhookUrl: body.webhookUrl } };
    case 'teams':
      return { settings: { type: 'teams' }, secrets: { webhookUrl: body.webhookUrl } };
    case 'email': {
      const secure = body.smtp.secure ?? false;
      return {
        settings: {
          type: 'email',
          smtp: { host: body.smtp.host, port: body.smtp.port ?? (secure ? 465 : 587), secure, username: body.smtp.username ?? null },
          from: body.from,
          to: body.to,
        },
        secrets: body.smtp.password !== undefined ? { smtpPassword: body.smtp.password } : {},
      };
    }
    case 'webhook':
      return { settings: { type: 'webhook', url: body.url }, secrets: {} };
  }
}

/**
 * Validates a `POST /v1/channels` body (also a `PUT`: the whole channel); throws
 * {@link InvalidChannelError}. URLs must pass `policy` (loopback, private and link-local targets).
 */
export function parseChannelInput(body: unknown, policy: WebhookUrlPolicy | null): ChannelInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidChannelError([{ path: '', message: 'the body must be a JSON object' }]);
  }
  const parsed = channelCreateSchema(policy).safeParse(body);
  if (!parsed.success) throw new InvalidChannelError(fieldIssuesOf(parsed.error));
  const data = parsed.data;
  const routing = data.routing ?? (data.type === 'webhook' ? 'subscribed' : 'policies');
  return {
    ...(data.key !== undefined ? { key: data.key } : {}),
    name: data.name,
    description: data.description === undefined || data.description === '' ? null : data.description,
    events: data.events ?? [...DEFAULT_CHANNEL_EVENT_TYPES],
    routing,
    ...splitBody(data),
  };
}

/** The fields `PATCH /v1/channels/{id}` takes besides a type's own (which replace the stored ones, secrets included). */
export const channelPatchCommonSchema = z
  .object({
    key: resourceKeySchema.optional(),
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    events: eventsSchema.optional(),
    routing: z.enum(CHANNEL_ROUTING).optional(),
    enabled: z.boolean({ error: typeError('true or false') }).optional(),
  })
  .strict();

/** A `PATCH /v1/channels/{id}` body as a schema, for the OpenAPI document: the common fields, `enabled`, and any of the type's own. */
export const channelPatchInputSchema = channelPatchCommonSchema
  .extend({
    type: z.enum(CHANNEL_TYPES).optional().describe('Must be the channel\'s own type if given: a type never changes.'),
    routingKey: routingKeySchema.optional(),
    endpointUrl: httpUrl(null, 'Events API v2 URL').optional(),
    webhookUrl: httpUrl(null, 'webhook URL').optional(),
    smtp: smtpSchema.partial().optional(),
    from: emailAddress.optional(),
    to: z.array(emailAddress).min(1).max(MAX_EMAIL_RECIPIENTS).optional(),
    url: httpUrl(null, 'receiver URL').optional(),
  })
  .describe('The fields to change. A secret left out is kept; one given replaces the stored one.');
