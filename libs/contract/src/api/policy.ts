import { z } from 'zod';
import { CHANNEL_EVENT_TYPES, type ChannelEventType } from './channel-input';
import { CHANNEL_ID_PATTERN } from './channel';
import { cursorPageSchema, isoTimeSchema } from './common';
import { dryRunSchema } from './dry-run';
import { fieldIssuesOf, type FieldIssue } from './field-issue';
import { maintenanceLabelsSchema } from './maintenance-input';
import { presentedKeySchema, resourceKeySchema } from './resource-key';

/** An incident's severity, as policies match it: the service down for users, down for some, worse than it should be. */
export const POLICY_SEVERITIES = ['critical', 'major', 'minor'] as const;
export type PolicySeverity = (typeof POLICY_SEVERITIES)[number];

export const MAX_POLICIES = 200;
export const MAX_POLICY_CHANNELS = 20;
/** Longest wait between reminders, and before an escalation (minutes): a day, and a week. */
export const MAX_REMINDER_MINUTES = 24 * 60;
export const MAX_ESCALATION_MINUTES = 7 * 24 * 60;
/** The shortest reminder interval and escalation wait a coordinator accepts unless `REMINDER_MIN_INTERVAL` says otherwise. */
export const DEFAULT_MIN_REMINDER_MINUTES = 1;

/** A policy body that does not validate; `issues` name every field at fault. Answered with 400. */
export class InvalidPolicyError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid policy: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}

const typeError =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expected}`;

const channelIdsSchema = z
  .array(z.string({ error: typeError('a channel id') }).regex(CHANNEL_ID_PATTERN, 'must be a channel id (ch_ or wh_ + 20 characters of a-z and 2-7)'), {
    error: typeError('an array of channel ids'),
  })
  .max(MAX_POLICY_CHANNELS, `must name at most ${MAX_POLICY_CHANNELS} channels`)
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate channel "${id}"` });
    });
  });

const minutes = (min: number, max: number) =>
  z
    .number({ error: typeError('a number of minutes') })
    .positive('must be more than 0')
    .min(min, `must be at least ${min} (REMINDER_MIN_INTERVAL)`)
    .max(max, `must be at most ${max}`);

const uniqueList = <T extends string>(values: readonly T[], what: string) =>
  z
    .array(z.enum(values as unknown as [T, ...T[]], { error: `must be one of ${values.join(', ')}` }), { error: typeError(`an array of ${what}`) })
    .min(1, `must name at least one ${what.replace(/s$/, '')} (leave it out to match any)`)
    .superRefine((items, ctx) => {
      items.forEach((item, index) => {
        if (items.indexOf(item) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate "${item}"` });
      });
    });

/** A `POST /v1/policies` body as the API validates it (`minMinutes`: the coordinator's `REMINDER_MIN_INTERVAL`). */
export const policyCreateSchema = (minMinutes: number) =>
  z
    .object({
      key: resourceKeySchema.optional(),
      name: z.string({ error: typeError('a string') }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
      description: z.string({ error: 'must be a string or null' }).trim().max(500, 'must be at most 500 characters').nullable().optional(),
      default: z
        .boolean({ error: typeError('true or false') })
        .optional()
        .describe('The default policy: applies to an event no other policy matches (at most one; its `match` must be left out).'),
      enabled: z.boolean({ error: typeError('true or false') }).optional(),
      match: z
        .object({
          labels: maintenanceLabelsSchema.optional().describe("The monitor's labels (every one given must match)."),
          severities: uniqueList(POLICY_SEVERITIES, 'severities').optional().describe("The incident's severity; an event without an incident matches only a policy that leaves this out."),
          events: uniqueList(CHANNEL_EVENT_TYPES, 'event types').optional(),
        })
        .strict()
        .optional()
        .describe('What the policy routes; left out, everything.'),
      channels: channelIdsSchema.min(1, 'must name at least one channel'),
      reminder: z
        .object({ everyMinutes: minutes(minMinutes, MAX_REMINDER_MINUTES) })
        .strict()
        .nullable()
        .optional()
        .describe('While an incident it routes stays open and unacknowledged, remind its channels this often (default: never).'),
      escalation: z
        .object({ afterMinutes: minutes(minMinutes, MAX_ESCALATION_MINUTES), channels: channelIdsSchema.min(1, 'must name at least one channel') })
        .strict()
        .nullable()
        .optional()
        .describe('After this long unacknowledged, notify these channels too (once; later reminders go to both).'),
    })
    .strict()
    .superRefine((body, ctx) => {
      if (body.default === true && body.match !== undefined) ctx.addIssue({ code: 'custom', path: ['match'], message: 'the default policy matches what no other policy does: leave match out' });
    });

export const policyInputSchema = policyCreateSchema(DEFAULT_MIN_REMINDER_MINUTES);

/** A validated policy body, defaults applied. */
export interface PolicyInput {
  key?: string;
  name: string;
  description: string | null;
  default: boolean;
  enabled: boolean;
  match: { labels: Record<string, string> | null; severities: PolicySeverity[] | null; events: ChannelEventType[] | null };
  channels: string[];
  reminder: { everyMinutes: number } | null;
  escalation: { afterMinutes: number; channels: string[] } | null;
}

/** Validates a `POST /v1/policies` body (and the whole of a PATCHed one); throws {@link InvalidPolicyError}. */
export function parsePolicyInput(body: unknown, minMinutes: number = DEFAULT_MIN_REMINDER_MINUTES): PolicyInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidPolicyError([{ path: '', message: 'the body must be a JSON object' }]);
  const parsed = policyCreateSchema(minMinutes).safeParse(body);
  if (!parsed.success) throw new InvalidPolicyError(fieldIssuesOf(parsed.error));
  const data = parsed.data;
  return {
    ...(data.key !== undefined ? { key: data.key } : {}),
    name: data.name,
    description: data.description === undefined || data.description === '' ? null : data.description,
    default: data.default ?? false,
    enabled: data.enabled ?? true,
    match: { labels: data.match?.labels ?? null, severities: data.match?.severities ?? null, events: (data.match?.events as ChannelEventType[] | undefined) ?? null },
    channels: data.channels,
    reminder: data.reminder ?? null,
    escalation: data.escalation ?? null,
  };
}

/** A notification policy's id: `pol_` + 20 base-32 characters. */
export const policyIdSchema = z.string().regex(/^pol_[a-z2-7]{20}$/).meta({ examples: ['pol_23ocd2bqb2n2g4vyifld'] });
export const POLICY_ID_PATTERN = /^pol_[a-z2-7]{20}$/;

/** A notification policy as the API shows it. */
export const policySchema = z.object({
  id: policyIdSchema,
  key: presentedKeySchema(policyIdSchema).meta({ examples: ['payments-critical'] }),
  revision: z.number().int().min(1),
  name: z.string(),
  description: z.string().nullable(),
  default: z.boolean(),
  enabled: z.boolean(),
  match: z.object({
    labels: z.record(z.string(), z.string()).nullable(),
    severities: z.array(z.enum(POLICY_SEVERITIES)).nullable(),
    events: z.array(z.enum(CHANNEL_EVENT_TYPES)).nullable(),
  }),
  channels: z.array(z.string()),
  reminder: z.object({ everyMinutes: z.number() }).nullable(),
  escalation: z.object({ afterMinutes: z.number(), channels: z.array(z.string()) }).nullable(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type PolicyView = z.output<typeof policySchema>;

export const policyPageSchema = cursorPageSchema(policySchema);
export const policyDryRunSchema = dryRunSchema(policySchema);
export const policyWriteSchema = z.union([policySchema, policyDryRunSchema]);
