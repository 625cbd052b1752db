import { fieldIssuesOf } from '@crosscheck/contract';
import type { z } from 'zod';
import { validationFailed } from './problem';

/**
 * Parses a JSON request body with `schema` (a strict zod object); a 400 naming each field at
 * fault otherwise: `(body)` issues for a body that is not an object, one issue per unknown field.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, message: string): z.output<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validationFailed(message, [{ path: '', message: 'the body must be a JSON object' }]);
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationFailed(message, fieldIssuesOf(parsed.error));
}

export { fieldIssuesOf } from '@crosscheck/contract';
