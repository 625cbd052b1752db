import { z } from 'zod';

/**
 * A moment as the API writes it: ISO 8601 in UTC with milliseconds (`Date#toISOString`).
 * The OpenAPI document shows it as `format: date-time`.
 */
export const isoTimeSchema = z.iso.datetime().meta({ examples: ['2026-11-25T09:15:26.128Z'] });

/**
 * A page of a list read by cursor: `{items, nextCursor}`, `nextCursor` to pass as `cursor` for
 * the next page and `null` on the last one.
 */
export function cursorPageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; `null` on the last.'),
  });
}

/** A time-ordered resource id: `<prefix>_` + 20 base-32 characters (10 of creation time, 10 random). */
export function resourceIdSchema(prefix: string, example: string) {
  return z
    .string()
    .regex(new RegExp(`^${prefix}_[a-z2-7]{20}$`))
    .meta({ examples: [example] });
}
