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
  type FieldIssue,
} from '@crosscheck/contract';
import { z } from 'zod';
import type { MaintenanceDocument, StatusPageDocument, WebhookDocument } from './config-file';

/**
 * The shortest interval the API's schema allows at all. Offline, the coordinator's own
 * `MIN_INTERVAL_SECONDS` is unknown: `plan` and `apply` hear it from the server's dry run.
 */
export const OFFLINE_MIN_INTERVAL_SECONDS = 1;

export type EntryResult<T> = ({ ok: true } & T) | { ok: false; issues: FieldIssue[] };

/** A region of the file: `{name}`. */
export const regionEntrySchema = z.strictObject({ name: regionNameSchema });

/** A monitor of the file: the API's monitor body (`parseMonitorInput`), with `key` required. */
export function validateMonitorEntry(entry: unknown): EntryResult<{ key: string; body: Record<string, unknown> }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a monitor: an object with key, name, url, regions, intervalSeconds, ...' }] };
  const issues: FieldIssue[] = [];
  if (entry['key'] === undefined) issues.push({ path: 'key', message: 'is required: the file addresses each monitor by its key' });
  try {
    parseMonitorInput(entry, OFFLINE_MIN_INTERVAL_SECONDS);
  } catch (error) {
    if (!(error instanceof InvalidMonitorError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, key: entry['key'] as string, body: entry };
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

/** A placeholder id per monitor key, so that the API's parser checks the rest of a window of the file. */
function placeholderMonitorId(index: number): string {
  let letters = '';
  for (let rest = index; letters === '' || rest > 0; rest = Math.floor(rest / 26)) letters = String.fromCharCode(97 + (rest % 26)) + letters;
  return `mon_${letters.padStart(20, 'a')}`;
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
  const body = { ...rest, ...(keys !== undefined ? { monitorIds: keys.map((_, index) => placeholderMonitorId(index)) } : monitors !== undefined ? { monitorIds: [] } : {}) };
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
