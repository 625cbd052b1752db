import { INCIDENT_EVENT_TYPES, type IncidentEventType } from '@crosscheck/checks';
import { z } from 'zod';
import { fieldIssuesOf, type FieldIssue } from './field-issue';
import { MAINTENANCE_EVENT_TYPES, type MaintenanceEventType } from './maintenance';
import { resourceKeySchema } from './resource-key';

/** Sent while an open incident stays unacknowledged, to the channels of the policies that ask for reminders. */
export type ReminderEventType = 'incident.reminder';

/** Event types a webhook can subscribe to: the incident lifecycle, region blindness, reminders and maintenance windows. */
export type OutboundEventType = IncidentEventType | ReminderEventType | MaintenanceEventType;

/** Event types an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES: readonly OutboundEventType[] = [...INCIDENT_EVENT_TYPES, 'incident.reminder', ...MAINTENANCE_EVENT_TYPES];

/**
 * What an endpoint created without `events` gets: the incident and region events. Maintenance
 * events go only to endpoints that ask for them (they page nobody; most receivers want none).
 */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly OutboundEventType[] = INCIDENT_EVENT_TYPES;

/**
 * Which endpoint addresses a deployment refuses (the coordinator's loopback, private, link-local
 * and metadata rules). Validation without one (a configuration file checked offline) checks the
 * URL's form only.
 */
export interface WebhookUrlPolicy {
  /** Why `url` is refused, in words, or `null` when it may be used. */
  refusedUrl(url: URL): string | null;
}

/** Longest endpoint URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2_048;
/** Longest description accepted. */
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;
/** How long a rotated-out secret goes on signing by default, and at most (seconds). */
export const DEFAULT_SECRET_OVERLAP_SECONDS = 24 * 3_600;
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 24 * 3_600;

/** A webhook body that does not validate; `issues` name every field at fault. Answered with 400. */
export class InvalidWebhookError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid webhook: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidWebhookError';
  }
}

/** The message of a wrong-type issue: "is required" when the field is absent. */
const typeError =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expected}`;

const urlSchema = (policy: WebhookUrlPolicy | null) =>
  z
    .string({ error: typeError('a string') })
    .max(MAX_WEBHOOK_URL_LENGTH, `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an absolute http:// or https:// URL' });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
      } else if (url.username !== '' || url.password !== '') {
        ctx.addIssue({ code: 'custom', message: 'must not carry credentials; put a token in the path or query instead' });
      } else {
        const refused = policy?.refusedUrl(url) ?? null;
        if (refused !== null) ctx.addIssue({ code: 'custom', message: `refused target: ${refused}` });
      }
    });

const eventsSchema = z
  .array(
    z
      .string({ error: typeError('a string') })
      .refine((type) => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type), {
        error: (issue) => `unknown event type ${JSON.stringify(issue.input)}; one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
      })
      // The refinement gives its own message; the document shows the types as an enum.
      .meta({ enum: [...WEBHOOK_EVENT_TYPES] }),
    { error: typeError('an array of event types') },
  )
  .min(1, 'must name at least one event type (leave it out for all of them)')
  .superRefine((events, ctx) => {
    events.forEach((type, index) => {
      if (events.indexOf(type) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate event type "${type}"` });
    });
  })
  .transform((events) => events as OutboundEventType[]);

const descriptionSchema = z
  .string({ error: 'must be a string or null' })
  .trim()
  .max(MAX_WEBHOOK_DESCRIPTION_LENGTH, `must be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters`);

/** A `POST /v1/webhooks` body as the API validates it (`parseWebhookInput`); also the source of the CLI's JSON Schema. */
export const webhookCreateSchema = (policy: WebhookUrlPolicy | null) =>
  z
    .object({
      key: resourceKeySchema.optional(),
      url: urlSchema(policy),
      events: eventsSchema.optional(),
      description: descriptionSchema.nullable().optional(),
    })
    .strict();

/** A `PATCH /v1/webhooks/{id}` body as the API validates it (`parseWebhookPatch`); also the source of the CLI's JSON Schema. */
export const webhookPatchSchema = (policy: WebhookUrlPolicy | null) =>
  z
    .object({
      key: resourceKeySchema.optional(),
      url: urlSchema(policy).optional(),
      events: eventsSchema.optional(),
      description: descriptionSchema.nullable().optional(),
      enabled: z.boolean({ error: typeError('true or false') }).optional(),
    })
    .strict();

const isoTime = z.iso
  .datetime({ offset: true, error: typeError('an ISO 8601 date-time with a time zone, e.g. 2026-11-25T09:00:00Z') })
  .transform((value) => Date.parse(value));

const replaySchema = z
  .object({ since: isoTime, until: isoTime.optional() })
  .strict()
  .superRefine(({ since, until }, ctx) => {
    if (until !== undefined && until < since) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must not be before since' });
  });

const rotationSchema = z
  .object({
    overlapSeconds: z
      .number({ error: typeError('a whole number of seconds') })
      .int('must be a whole number of seconds')
      .min(0, 'must be 0 or more')
      .max(MAX_SECRET_OVERLAP_SECONDS, `must be at most ${MAX_SECRET_OVERLAP_SECONDS} (7 days)`)
      .optional(),
  })
  .strict();

/**
 * The request bodies as schemas, for the OpenAPI document (the URL judged by its form only: the
 * deployment's address policy is the server's). The parsers below are what validate.
 */
export const webhookInputSchema = webhookCreateSchema(null);
export const webhookPatchInputSchema = webhookPatchSchema(null);
export const webhookReplayInputSchema = replaySchema;
export const webhookSecretRotationInputSchema = rotationSchema;

/** A validated `POST /v1/webhooks` body, defaults applied. */
export interface WebhookInput {
  /** The user's stable name for the endpoint; none when left out. */
  key?: string;
  url: string;
  events: OutboundEventType[];
  description: string | null;
}

/** A validated `PATCH /v1/webhooks/{id}` body: the fields to change (`description: null` clears it). */
export interface WebhookPatch {
  /** When given, must be the endpoint's own key (a key never changes). */
  key?: string;
  url?: string;
  events?: OutboundEventType[];
  description?: string | null;
  enabled?: boolean;
}

/** A validated `POST /v1/webhooks/{id}/replay` body, as epoch ms (`until` defaults to now). */
export interface ReplayInput {
  since: number;
  until: number | null;
}

/**
 * Validates a create body; throws {@link InvalidWebhookError}. `events` defaults to every type;
 * the URL must pass `policy` (loopback, private and link-local targets).
 */
export function parseWebhookInput(body: unknown, policy: WebhookUrlPolicy | null): WebhookInput {
  const parsed = webhookCreateSchema(policy).safeParse(requireObject(body));
  if (!parsed.success) throw new InvalidWebhookError(fieldIssuesOf(parsed.error));
  const { key, url, events, description } = parsed.data;
  return { ...(key !== undefined ? { key } : {}), url, events: events ?? [...DEFAULT_WEBHOOK_EVENT_TYPES], description: emptyToNull(description) };
}

/** Validates a patch body; throws {@link InvalidWebhookError}. */
export function parseWebhookPatch(body: unknown, policy: WebhookUrlPolicy | null): WebhookPatch {
  const parsed = webhookPatchSchema(policy).safeParse(requireObject(body));
  if (!parsed.success) throw new InvalidWebhookError(fieldIssuesOf(parsed.error));
  const patch: WebhookPatch = {};
  if (parsed.data.key !== undefined) patch.key = parsed.data.key;
  if (parsed.data.url !== undefined) patch.url = parsed.data.url;
  if (parsed.data.events !== undefined) patch.events = parsed.data.events;
  if (parsed.data.description !== undefined) patch.description = emptyToNull(parsed.data.description);
  if (parsed.data.enabled !== undefined) patch.enabled = parsed.data.enabled;
  return patch;
}

/** Validates a replay body `{"since", "until"?}` (ISO 8601); throws {@link InvalidWebhookError}. */
export function parseReplayInput(body: unknown): ReplayInput {
  const parsed = replaySchema.safeParse(requireObject(body));
  if (!parsed.success) throw new InvalidWebhookError(fieldIssuesOf(parsed.error));
  return { since: parsed.data.since, until: parsed.data.until ?? null };
}

/** Validates a rotation body `{"overlapSeconds"?}` (no body at all is `{}`); the overlap in ms. */
export function parseRotationInput(body: unknown): { overlapMs: number } {
  const parsed = rotationSchema.safeParse(body === undefined || body === null ? {} : requireObject(body));
  if (!parsed.success) throw new InvalidWebhookError(fieldIssuesOf(parsed.error));
  return { overlapMs: (parsed.data.overlapSeconds ?? DEFAULT_SECRET_OVERLAP_SECONDS) * 1_000 };
}

function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidWebhookError([{ path: '', message: 'the body must be a JSON object' }]);
  }
  return body as Record<string, unknown>;
}

function emptyToNull(description: string | null | undefined): string | null {
  return description === undefined || description === null || description === '' ? null : description;
}
