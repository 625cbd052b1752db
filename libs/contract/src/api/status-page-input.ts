import { z } from 'zod';
import { MONITOR_ID_PATTERN } from '../round-id';
import { fieldIssuesOf, type FieldIssue } from './field-issue';
import { resourceKeySchema } from './resource-key';

/** What a status page's slug looks like: 1-63 of lower case letters, digits and hyphens, neither first nor last a hyphen. */
export const STATUS_PAGE_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Most monitors one page shows. */
export const MAX_STATUS_PAGE_MONITORS = 100;
/** Most status pages one coordinator keeps. */
export const MAX_STATUS_PAGES = 1_000;
/** Longest title accepted. */
export const MAX_STATUS_PAGE_TITLE_LENGTH = 120;
/** Longest description accepted. */
export const MAX_STATUS_PAGE_DESCRIPTION_LENGTH = 1_000;

/** A status page body that does not validate; `issues` name every field at fault. Answered with 400. */
export class InvalidStatusPageError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid status page: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidStatusPageError';
  }
}

/** The message of a wrong-type issue: "is required" when the field is absent. */
const typeError =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expected}`;

/** A slug as written in a page's address (`/status/<slug>`). */
export const statusPageSlugSchema = z
  .string({ error: typeError('a string') })
  .regex(STATUS_PAGE_SLUG_PATTERN, 'must be 1-63 of a-z, 0-9 and "-", neither starting nor ending with "-"')
  .meta({ examples: ['acme'] });

const titleSchema = z
  .string({ error: typeError('a string') })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_STATUS_PAGE_TITLE_LENGTH, `must be at most ${MAX_STATUS_PAGE_TITLE_LENGTH} characters`)
  .meta({ examples: ['Acme status'] });

const descriptionSchema = z
  .string({ error: 'must be a string or null' })
  .trim()
  .max(MAX_STATUS_PAGE_DESCRIPTION_LENGTH, `must be at most ${MAX_STATUS_PAGE_DESCRIPTION_LENGTH} characters`);

/** The monitors of a page by id, in the order the page shows them. */
export const statusPageMonitorIdsSchema = z
  .array(
    z.string({ error: typeError('a monitor id') }).regex(MONITOR_ID_PATTERN, 'must be a monitor id (mon_ + 20 characters of a-z and 2-7)'),
    { error: typeError('an array of monitor ids') },
  )
  .max(MAX_STATUS_PAGE_MONITORS, `must name at most ${MAX_STATUS_PAGE_MONITORS} monitors`)
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate monitor ${id}` });
    });
  })
  .meta({ examples: [['mon_2b4kq7xa3dhv6mnpz2re']] });

/**
 * A `POST /v1/status-pages` (and `PUT`) body as the API validates it (`parseStatusPageInput`);
 * also the OpenAPI document's request schema.
 */
export const statusPageInputSchema = z
  .object({
    key: resourceKeySchema.optional(),
    slug: statusPageSlugSchema,
    title: titleSchema,
    description: descriptionSchema.nullable().optional(),
    monitorIds: statusPageMonitorIdsSchema,
  })
  .strict();

/** A validated status page body: `description` `null` when left out or empty. */
export interface StatusPageInput {
  /** The user's stable name for the page; none when left out. */
  key?: string;
  slug: string;
  title: string;
  description: string | null;
  monitorIds: string[];
}

/** Validates a create or replace body; throws {@link InvalidStatusPageError} naming every field at fault. */
export function parseStatusPageInput(body: unknown): StatusPageInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidStatusPageError([{ path: '', message: 'the body must be a JSON object' }]);
  }
  const parsed = statusPageInputSchema.safeParse(body);
  if (!parsed.success) throw new InvalidStatusPageError(fieldIssuesOf(parsed.error));
  const { key, slug, title, description, monitorIds } = parsed.data;
  return { ...(key !== undefined ? { key } : {}), slug, title, description: description === undefined || description === null || description === '' ? null : description, monitorIds };
}
