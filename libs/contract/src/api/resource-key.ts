import { z } from 'zod';

/** What a resource key looks like: lower case letters, digits, `.`, `_` and `-`, at most 64, starting with a letter or digit. */
export const RESOURCE_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * A user's stable name for a monitor or a webhook (`checkout-api`): how a configuration file
 * addresses a resource across applies, whatever id the server gave it. Unique per resource type;
 * it never changes (renaming a key is a delete and a create).
 */
export const resourceKeySchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .regex(RESOURCE_KEY_PATTERN, 'must be 1-64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit');

/**
 * A resource's key as the API shows it: the one it was created with, or, when it has none, its id
 * (`idSchema`), so every resource has an address a configuration file can use.
 */
export function presentedKeySchema(idSchema: z.ZodString) {
  return z.union([resourceKeySchema, idSchema]).describe('The key it was created with; its id when it has none.');
}
