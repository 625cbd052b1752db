import { formatIssuePath } from '@crosscheck/checks';
import type { z } from 'zod';
import { validationFailed, type FieldIssue } from './problem';

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

/** zod issues as `{path, message}`, one per unknown field. */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: formatIssuePath([...issue.path, key]), message: 'unknown field' });
    } else {
      issues.push({ path: formatIssuePath(issue.path), message: issue.message });
    }
  }
  return issues;
}
