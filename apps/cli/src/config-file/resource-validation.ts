import {
  fieldIssuesOf,
  InvalidMaintenanceError,
  InvalidMonitorError,
  MAX_MAINTENANCE_MONITORS,
  maintenanceInputSchema,
  maintenanceLabelsSchema,
  parseMaintenanceInput,
  InvalidWebhookError,
  MAX_STATUS_PAGE_MONITORS,
  parseMonitorInput,
  resourceKeySchema,
  statusPageInputSchema,
  parseWebhookPatch,
  regionNameSchema,
  DEFAULT_WEBHOOK_EVENT_TYPES,
  InvalidChannelError,
  InvalidPolicyError,
  MAX_MONITOR_CHANNELS,
  MAX_POLICY_CHANNELS,
  parseChannelInput,
  parsePolicyInput,
  channelInputSchema,
  policyInputSchema,
  type ChannelInput,
  type FieldIssue,
} from '@crosscheck/contract';
import { z } from 'zod';
import { literalSecretIssues } from './channel-secrets';
import type { ChannelDocument, MaintenanceDocument, PolicyDocument, StatusPageDocument, WebhookDocument } from './config-file';

/**
 * The shortest interval the API's schema allows at all. Offline, the coordinator's own
 * `MIN_INTERVAL_SECONDS` is unknown: `plan` and `apply` hear it from the server's dry run.
 */
export const OFFLINE_MIN_INTERVAL_SECONDS = 1;

export type EntryResult<T> = ({ ok: true } & T) | { ok: false; issues: FieldIssue[] };

/** A region of the file: `{name}`. */
export const regionEntrySchema = z.strictObject({ name: regionNameSchema });

/**
 * A monitor of the file: the API's monitor body (`parseMonitorInput`), with `key` required and
 * the channels it names directly by channel key (`channels`) instead of by id. The body kept is
 * the file's without `channels`: apply adds their ids.
 */
export function validateMonitorEntry(entry: unknown): EntryResult<{ key: string; body: Record<string, unknown>; channels: string[] }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a monitor: an object with key, name, url, regions, intervalSeconds, ...' }] };
  const issues: FieldIssue[] = [];
  if (entry['key'] === undefined) issues.push({ path: 'key', message: 'is required: the file addresses each monitor by its key' });
  const { channels, ...body } = entry;
  const keys = channels === undefined ? [] : checkKeys(channelKeysSchema(MAX_MONITOR_CHANNELS), channels, 'channels', issues);
  try {
    parseMonitorInput(keys === undefined ? body : { ...body, channels: keys.map((_, index) => placeholderId('ch', index)) }, OFFLINE_MIN_INTERVAL_SECONDS);
  } catch (error) {
    if (!(error instanceof InvalidMonitorError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || keys === undefined) return { ok: false, issues };
  return { ok: true, key: entry['key'] as string, body, channels: keys };
}

/** Channel keys, once each: how a monitor or a policy of the file names channels. */
export function channelKeysSchema(max: number) {
  return z
    .array(resourceKeySchema, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a list of channel keys') })
    .max(max, `must name at most ${max} channels`)
    .superRefine((keys, ctx) => {
      keys.forEach((key, index) => {
        if (keys.indexOf(key) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate channel ${key}` });
      });
    });
}

/** Keys checked by `schema`, or undefined with the issues (under `path`) added to `issues`. */
function checkKeys(schema: z.ZodType<string[]>, value: unknown, path: string, issues: FieldIssue[]): string[] | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  issues.push(...fieldIssuesOf(parsed.error).map((issue) => ({ path: issue.path === '' ? path : `${path}.${issue.path}`, message: issue.message })));
  return undefined;
}

/**
 * A notification channel of the file: the API's channel body (`parseChannelInput`, so the
 * messages are the API's), `key` required, and `enabled` besides (default true, as a webhook's:
 * the file states the whole channel). `written` is the entry as the file writes it, before its
 * `${VAR}`s are filled in: every secret must be a `${NAME}` reference there
 * ({@link literalSecretIssues}). The document is the channel as the API shows it (defaults
 * filled in, secrets apart), so that comparing it with the server's is exact.
 */
export function validateChannelEntry(entry: unknown, written: unknown): EntryResult<{ document: ChannelDocument; secrets: Record<string, string> }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a channel: an object with key, type, name and the fields of its type' }] };
  const issues: FieldIssue[] = [];
  if (entry['key'] === undefined) issues.push({ path: 'key', message: 'is required: the file addresses each channel by its key' });
  const refused = isObject(written) ? literalSecretIssues(written, entry['type'], entry['key']) : [];
  issues.push(...refused);
  const { enabled, ...body } = entry;
  if (enabled !== undefined && typeof enabled !== 'boolean') issues.push({ path: 'enabled', message: 'must be true or false' });
  let input: ChannelInput | undefined;
  try {
    input = parseChannelInput(body, null);
  } catch (error) {
    if (!(error instanceof InvalidChannelError)) throw error;
    // A literal secret refused above: what the parser says of its value would only repeat it.
    issues.push(...error.issues.filter((issue) => !refused.some((found) => issue.path === found.path)));
  }
  if (issues.length > 0 || input === undefined) return { ok: false, issues };
  const { type, ...settings } = input.settings;
  const secrets: Record<string, string> = {};
  if (input.secrets.routingKey !== undefined) secrets['routingKey'] = input.secrets.routingKey;
  if (input.secrets.webhookUrl !== undefined) secrets['webhookUrl'] = input.secrets.webhookUrl;
  if (input.secrets.smtpPassword !== undefined) secrets['smtp.password'] = input.secrets.smtpPassword;
  return {
    ok: true,
    document: {
      key: input.key ?? '',
      type,
      name: input.name,
      description: input.description,
      events: [...input.events],
      routing: input.routing,
      enabled: enabled !== false,
      settings,
    },
    secrets,
  };
}

/** A secret of a channel as a file writes it: only a `${NAME}` reference. */
const secretReferenceSchema = (what: string) =>
  z
    .string()
    .regex(/^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/)
    .describe(`${what}: a secret, written only as a \${NAME} reference to an environment variable, filled in at plan and apply time`);

/**
 * A channel of the file, for the published JSON Schema: the API's channel body (each type's),
 * with `key` required, `enabled` besides, and its secrets as `${ENV}` references.
 * {@link validateChannelEntry} validates with the API's own parser.
 */
export function channelEntrySchema() {
  const extra = {
    key: resourceKeySchema,
    enabled: z.boolean().optional().describe('Whether it is sent to (default true; apply enables a channel the API disabled unless the file says false)'),
  };
  const [pagerduty, slack, teams, email, webhook] = channelInputSchema.options;
  return z.discriminatedUnion('type', [
    pagerduty.extend({ ...extra, routingKey: secretReferenceSchema('The integration (routing) key of an Events API v2 integration') }),
    slack.extend({ ...extra, webhookUrl: secretReferenceSchema('The Slack incoming webhook URL') }),
    teams.extend({ ...extra, webhookUrl: secretReferenceSchema('The Teams Workflows webhook URL') }),
    email.extend({ ...extra, smtp: email.shape.smtp.extend({ password: secretReferenceSchema('The SMTP password').optional() }) }),
    webhook.extend(extra),
  ]);
}

/**
 * A policy of the file, for the published JSON Schema: the API's policy body with `key`
 * required and its channels (and its escalation step's) by channel key instead of by id.
 */
export function policyEntrySchema() {
  const shape = policyInputSchema.shape;
  const keys = channelKeysSchema(MAX_POLICY_CHANNELS).min(1);
  return z.strictObject({
    ...shape,
    key: resourceKeySchema,
    channels: keys.describe('The channels it routes to, by channel key'),
    escalation: z
      .strictObject({ afterMinutes: shape.escalation.unwrap().unwrap().shape.afterMinutes, channels: keys.describe('The channels to notify too, by channel key') })
      .nullable()
      .optional()
      .describe(shape.escalation.description ?? ''),
  });
}

/**
 * A notification policy of the file: the API's policy body (`parsePolicyInput`, so the messages
 * are the API's, with the floor of reminders the API's schema allows at all: the coordinator's
 * `REMINDER_MIN_INTERVAL` is the server's to apply), `key` required, and its channels and its
 * escalation step's named by channel key instead of by id.
 */
export function validatePolicyEntry(entry: unknown): EntryResult<{ document: PolicyDocument }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a policy: an object with key, name, match?, channels, reminder?, escalation?' }] };
  const issues: FieldIssue[] = [];
  if (entry['key'] === undefined) issues.push({ path: 'key', message: 'is required: the file addresses each policy by its key' });
  const keysOf = (value: unknown, path: string): string[] | undefined => (value === undefined ? undefined : checkKeys(channelKeysSchema(MAX_POLICY_CHANNELS), value, path, issues));
  const channels = keysOf(entry['channels'], 'channels');
  const escalation = entry['escalation'];
  const escalationChannels = isObject(escalation) ? keysOf(escalation['channels'], 'escalation.channels') : undefined;
  const placeholders = (keys: string[] | undefined, value: unknown): unknown => (keys !== undefined ? keys.map((_, index) => placeholderId('ch', index)) : Array.isArray(value) ? [] : value);
  const body: Record<string, unknown> = { ...entry };
  if (entry['channels'] !== undefined) body['channels'] = placeholders(channels, entry['channels']);
  if (isObject(escalation) && escalation['channels'] !== undefined) body['escalation'] = { ...escalation, channels: placeholders(escalationChannels, escalation['channels']) };
  let parsed;
  try {
    parsed = parsePolicyInput(body);
  } catch (error) {
    if (!(error instanceof InvalidPolicyError)) throw error;
    // Of a list of keys refused above, the parser only saw placeholders.
    const refusedChannels = entry['channels'] !== undefined && channels === undefined;
    const refusedEscalation = isObject(escalation) && escalation['channels'] !== undefined && escalationChannels === undefined;
    for (const issue of error.issues) {
      if (refusedChannels && /^channels(\.|$)/.test(issue.path)) continue;
      if (refusedEscalation && /^escalation\.channels(\.|$)/.test(issue.path)) continue;
      issues.push(issue);
    }
  }
  if (issues.length > 0 || parsed === undefined) return { ok: false, issues };
  return {
    ok: true,
    document: {
      key: parsed.key ?? '',
      name: parsed.name,
      description: parsed.description,
      default: parsed.default,
      enabled: parsed.enabled,
      match: { labels: parsed.match.labels, severities: parsed.match.severities, events: parsed.match.events },
      channels: channels ?? [],
      reminder: parsed.reminder,
      escalation: parsed.escalation === null ? null : { afterMinutes: parsed.escalation.afterMinutes, channels: escalationChannels ?? [] },
    },
  };
}

/**
 * A webhook of the file: `{key, url, events?, description?, enabled?}`, validated by the API's
 * webhook schema, and completed with the defaults a new endpoint gets (every event type, no
 * description, enabled), so that the file states the whole endpoint and applying it is declarative.
 */
export function validateWebhookEntry(entry: unknown): EntryResult<{ document: WebhookDocument }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a webhook: an object with key, url, events?, description?, enabled?' }] };
  const issues: FieldIssue[] = [];
  if (entry['key'] === undefined) issues.push({ path: 'key', message: 'is required: the file addresses each webhook by its key' });
  if (entry['url'] === undefined) issues.push({ path: 'url', message: 'is required' });
  let patch;
  try {
    patch = parseWebhookPatch(entry, null);
  } catch (error) {
    if (!(error instanceof InvalidWebhookError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || patch === undefined) return { ok: false, issues };
  return {
    ok: true,
    document: {
      key: patch.key ?? '',
      url: patch.url ?? '',
      events: patch.events ?? [...DEFAULT_WEBHOOK_EVENT_TYPES],
      description: patch.description ?? null,
      enabled: patch.enabled ?? true,
    },
  };
}

/**
 * A status page of the file: the API's status page body, but its monitors named by monitor key
 * (`monitors`, in the order the page shows them) instead of by id, and `key` required.
 */
export const statusPageEntrySchema = z.strictObject({
  key: resourceKeySchema,
  slug: statusPageInputSchema.shape.slug,
  title: statusPageInputSchema.shape.title,
  description: statusPageInputSchema.shape.description,
  monitors: monitorKeysSchema(MAX_STATUS_PAGE_MONITORS).describe('The monitors it shows, by monitor key, in this order'),
});

/** A status page of the file, completed with what a page left without a description has (none). */
export function validateStatusPageEntry(entry: unknown): EntryResult<{ document: StatusPageDocument }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a status page: an object with key, slug, title, description?, monitors' }] };
  const parsed = statusPageEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, issues: fieldIssuesOf(parsed.error) };
  const { key, slug, title, description, monitors } = parsed.data;
  return { ok: true, document: { key, slug, title, description: description === undefined || description === '' ? null : description, monitors } };
}

const input = maintenanceInputSchema.shape;

/** Monitor keys, once each: how a status page or a maintenance window of the file names monitors. */
function monitorKeysSchema(max: number) {
  return z
    .array(resourceKeySchema, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a list of monitor keys') })
    .max(max, `must name at most ${max} monitors`)
    .superRefine((keys, ctx) => {
      keys.forEach((key, index) => {
        if (keys.indexOf(key) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate monitor ${key}` });
      });
    });
}

/**
 * A maintenance window of the file, for the published JSON Schema: the API's maintenance body with
 * `key` and `startsAt` required (a time, not `"now"`) and its monitors by monitor key (`monitors`)
 * instead of by id. {@link validateMaintenanceEntry} validates with the API's own parser.
 */
export const maintenanceEntrySchema = z.strictObject({
  key: resourceKeySchema,
  reason: input.reason,
  monitors: monitorKeysSchema(MAX_MAINTENANCE_MONITORS).optional().describe('The monitors it covers, by monitor key; or `labels`'),
  labels: maintenanceLabelsSchema.optional().describe('The monitors it covers, by their labels (every label given must match); or `monitors`'),
  startsAt: input.startsAt.unwrap().options[1].describe('When it starts (a recurring window: when its rule starts applying); a time, never "now"'),
  endsAt: input.endsAt,
  durationMinutes: input.durationMinutes,
  rrule: input.rrule,
  cron: input.cron,
});

/** A placeholder id per key (`mon_`, `ch_`), so that the API's parser checks the rest of an entry that names resources by key. */
function placeholderId(prefix: string, index: number): string {
  let letters = '';
  for (let rest = index; letters === '' || rest > 0; rest = Math.floor(rest / 26)) letters = String.fromCharCode(97 + (rest % 26)) + letters;
  return `${prefix}_${letters.padStart(20, 'a')}`;
}

/**
 * A maintenance window of the file, validated by the API's own parser (`parseMaintenanceInput`, so
 * the messages are the API's), its monitors named by key: `monitorIds` in the API's messages reads
 * `monitors`. A file states when a window starts: an ad-hoc one ("from now") is refused, naming
 * `startsAt`. The document keeps the schedule as the API stores it (a one-off's `durationMinutes`
 * becomes its `endsAt`), so that comparing it with the server's is exact.
 */
export function validateMaintenanceEntry(entry: unknown): EntryResult<{ document: MaintenanceDocument }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a maintenance window: an object with key, reason, monitors or labels, startsAt, endsAt or durationMinutes, rrule? or cron?' }] };
  const issues: FieldIssue[] = [];
  if (entry['key'] === undefined) issues.push({ path: 'key', message: 'is required: the file addresses each maintenance window by its key' });
  if (entry['startsAt'] === undefined || entry['startsAt'] === 'now') {
    issues.push({
      path: 'startsAt',
      message: `${entry['startsAt'] === undefined ? 'is required' : 'must be a time, not "now"'}: a window in a file starts at a set time (2026-11-29T02:00:00Z); an ad-hoc window ("from now") is made with POST /v1/maintenance, not declared`,
    });
  }
  const { monitors, monitorIds, ...rest } = entry;
  if (monitorIds !== undefined) issues.push({ path: 'monitorIds', message: 'unknown field: a file names monitors by key (monitors)' });
  let keys: string[] | undefined;
  if (monitors !== undefined) {
    const parsed = monitorKeysSchema(MAX_MAINTENANCE_MONITORS).safeParse(monitors);
    if (parsed.success) keys = parsed.data;
    else issues.push(...fieldIssuesOf(parsed.error).map((issue) => ({ path: issue.path === '' ? 'monitors' : `monitors.${issue.path}`, message: issue.message })));
  }
  const body = { ...rest, ...(keys !== undefined ? { monitorIds: keys.map((_, index) => placeholderId('mon', index)) } : monitors !== undefined ? { monitorIds: [] } : {}) };
  let parsed;
  try {
    parsed = parseMaintenanceInput(body, Date.now());
  } catch (error) {
    if (!(error instanceof InvalidMaintenanceError)) throw error;
    for (const issue of error.issues) {
      const path = issue.path.replace(/^monitorIds(?=\.|$)/, 'monitors');
      // What the checks above said already, or of a field they refused.
      if (path === 'startsAt' && issues.some((found) => found.path === 'startsAt')) continue;
      if (path.startsWith('monitors') && ((monitors !== undefined && keys === undefined) || monitorIds !== undefined)) continue;
      issues.push({ path, message: issue.message.replaceAll('monitorIds', 'monitors') });
    }
  }
  if (issues.length > 0 || parsed === undefined) return { ok: false, issues };
  const { schedule } = parsed;
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    ok: true,
    document: {
      key: parsed.key ?? '',
      ...(parsed.labels !== null ? { labels: parsed.labels } : { monitors: keys ?? [] }),
      startsAt: iso(schedule.startsAt),
      ...(schedule.kind === 'once' ? { endsAt: iso(schedule.endsAt) } : { durationMinutes: schedule.durationMs / 60_000 }),
      ...(schedule.kind === 'rrule' ? { rrule: schedule.rrule } : schedule.kind === 'cron' ? { cron: schedule.cron } : {}),
      reason: parsed.reason,
    },
  };
}

export function validateRegionEntry(entry: unknown): EntryResult<{ name: string }> {
  const parsed = regionEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, issues: fieldIssuesOf(parsed.error) };
  return { ok: true, name: parsed.data.name };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
