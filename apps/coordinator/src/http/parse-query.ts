import { formatIssuePath } from '@crosscheck/checks';
import type { z } from 'zod';
import { validationFailed } from './problem';

/** Parses query parameters with `schema`; a 400 naming each parameter at fault otherwise. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  throw validationFailed(
    'invalid query',
    parsed.error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message })),
  );
}
