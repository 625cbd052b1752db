import { formatIssuePath } from '@crosscheck/checks';
import type { z } from 'zod';

/** A field at fault in a request or a file, by dotted path (`expect.json.0.path`, `limit`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * zod issues as `{path, message}`: one issue per unknown field ("unknown field") and "is required"
 * for a field left out, so every answer names each field at fault in words.
 */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: formatIssuePath([...issue.path, key]), message: 'unknown field' });
    } else if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      issues.push({ path: formatIssuePath(issue.path), message: 'is required' });
    } else {
      issues.push({ path: formatIssuePath(issue.path), message: issue.message });
    }
  }
  return issues;
}
