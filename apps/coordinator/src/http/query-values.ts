import { z } from 'zod';

/** A page size query parameter: an integer within bounds, with a default. */
export function limitParameter(defaultLimit: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(defaultLimit);
}

/** A time query parameter: epoch milliseconds or an ISO 8601 date-time; parsed to epoch ms. */
export const timeParameter = z.string().transform((value, ctx) => {
  const ms = /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO 8601 date-time' });
    return z.NEVER;
  }
  return ms;
});
