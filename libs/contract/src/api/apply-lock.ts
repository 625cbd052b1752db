import { z } from 'zod';

/** Shortest and longest lease of the apply lock, and the default (seconds). */
export const APPLY_LOCK_MIN_TTL_SECONDS = 5;
export const APPLY_LOCK_MAX_TTL_SECONDS = 3_600;
export const APPLY_LOCK_DEFAULT_TTL_SECONDS = 120;
/** Longest holder description. */
export const APPLY_LOCK_MAX_HOLDER_LENGTH = 200;

const ttlSecondsSchema = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a whole number of seconds') })
  .int('must be a whole number of seconds')
  .min(APPLY_LOCK_MIN_TTL_SECONDS, `must be at least ${APPLY_LOCK_MIN_TTL_SECONDS}`)
  .max(APPLY_LOCK_MAX_TTL_SECONDS, `must be at most ${APPLY_LOCK_MAX_TTL_SECONDS}`);

/** `POST /v1/apply-lock`: who takes the lock (shown to whoever finds it held) and for how long. */
export const applyLockRequestSchema = z
  .object({
    holder: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(1, 'must not be empty')
      .max(APPLY_LOCK_MAX_HOLDER_LENGTH, `must be at most ${APPLY_LOCK_MAX_HOLDER_LENGTH} characters`),
    ttlSeconds: ttlSecondsSchema.default(APPLY_LOCK_DEFAULT_TTL_SECONDS),
  })
  .strict();

/** `PUT /v1/apply-lock/{token}`: a longer lease for the holder. */
export const applyLockRenewalSchema = z.object({ ttlSeconds: ttlSecondsSchema.default(APPLY_LOCK_DEFAULT_TTL_SECONDS) }).strict();

/** The lock as anyone may see it: who holds it, since when, until when (ISO 8601). */
export const applyLockHolderSchema = z.object({
  holder: z.string(),
  acquiredAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});

/** What taking or renewing the lock answers: the holder's view plus the token that renews and releases it. */
export const applyLockGrantSchema = applyLockHolderSchema.extend({
  token: z.string().describe('Renews (PUT) and releases (DELETE) the lock; only its taker sees it.'),
});

/** `GET /v1/apply-lock`: whether a lock is held and by whom (never its token). */
export const applyLockStatusSchema = z.union([
  applyLockHolderSchema.extend({ held: z.literal(true) }),
  z.object({ held: z.literal(false) }),
]);

export type ApplyLockRequest = z.output<typeof applyLockRequestSchema>;
export type ApplyLockHolder = z.output<typeof applyLockHolderSchema>;
export type ApplyLockGrant = z.output<typeof applyLockGrantSchema>;
export type ApplyLockStatus = z.output<typeof applyLockStatusSchema>;
