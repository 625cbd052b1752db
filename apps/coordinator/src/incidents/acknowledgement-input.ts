import { z } from 'zod';

/** Longest `by` an acknowledgement takes. */
export const MAX_ACKNOWLEDGED_BY_LENGTH = 200;

/** `POST /v1/incidents/{id}/acknowledge`: `{"by"?}`, who acknowledges (a person, a rota, a tool). */
export const acknowledgementInputSchema = z
  .object({
    by: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty (leave it out to say nothing)')
      .max(MAX_ACKNOWLEDGED_BY_LENGTH, `must be at most ${MAX_ACKNOWLEDGED_BY_LENGTH} characters`)
      .optional(),
  })
  .strict();
