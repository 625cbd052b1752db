import { z } from 'zod';
import { REDACTED_CHANGE, type DocumentChange } from './document-changes';

/** One leaf a write changes, as a dry run lists it (see `documentChanges`). */
export const documentChangeSchema = z
  .object({
    path: z.string().describe('Dotted path in the resource as shown; array elements by index.').meta({ examples: ['spec.expect.json.0.value'] }),
    before: z.unknown().optional().describe(`The stored value (\`${REDACTED_CHANGE}\` for a secret); absent for an added field.`).meta({ examples: [60] }),
    after: z.unknown().optional().describe(`The value it would have (\`${REDACTED_CHANGE}\` for a secret); absent for a removed field.`).meta({ examples: [30] }),
    secret: z.literal(true).optional().describe('A secret changes (compared on the real values); its values are never shown.'),
  })
  .describe('One leaf that a write changes.') satisfies z.ZodType<DocumentChange>;

/**
 * What a write with `?dryRun=true` answers: validated in full, nothing stored, the changes it
 * would make (on create, every field) and the resource as it would be shown.
 */
export function dryRunSchema<T extends z.ZodType>(result: T) {
  return z.object({
    dryRun: z.literal(true),
    changes: z.array(documentChangeSchema).describe('On create, every field.'),
    result,
  });
}
