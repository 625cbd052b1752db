import {
  fieldIssuesOf,
  InvalidMonitorError,
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
import type { StatusPageDocument, WebhookDocument } from './config-file';

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
  monitors: z
    .array(resourceKeySchema, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a list of monitor keys') })
    .max(MAX_STATUS_PAGE_MONITORS, `must name at most ${MAX_STATUS_PAGE_MONITORS} monitors`)
    .superRefine((keys, ctx) => {
      keys.forEach((key, index) => {
        if (keys.indexOf(key) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate monitor ${key}` });
      });
    })
    .describe('The monitors it shows, by monitor key, in this order'),
});

/** A status page of the file, completed with what a page left without a description has (none). */
export function validateStatusPageEntry(entry: unknown): EntryResult<{ document: StatusPageDocument }> {
  if (!isObject(entry)) return { ok: false, issues: [{ path: '', message: 'must be a status page: an object with key, slug, title, description?, monitors' }] };
  const parsed = statusPageEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, issues: fieldIssuesOf(parsed.error) };
  const { key, slug, title, description, monitors } = parsed.data;
  return { ok: true, document: { key, slug, title, description: description === undefined || description === '' ? null : description, monitors } };
}

export function validateRegionEntry(entry: unknown): EntryResult<{ name: string }> {
  const parsed = regionEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, issues: fieldIssuesOf(parsed.error) };
  return { ok: true, name: parsed.data.name };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
