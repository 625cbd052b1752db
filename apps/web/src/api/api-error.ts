import type { FieldIssue, Problem } from './api-types';

/**
 * An answer of the API that is not a success, with the RFC 9457 problem it carried (when it did),
 * or a request that got no answer at all (`status` 0).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The fields at fault of a validation problem (400), by dotted path. */
  get issues(): FieldIssue[] {
    return this.problem?.issues ?? [];
  }
}

/** A problem's words for a person: its `detail`, else its title, else the status. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return error.message;
    const detail = error.problem?.detail ?? error.message;
    return `${error.status} ${error.problem?.title ?? ''}: ${detail}`.replace(/ {2,}/g, ' ');
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether `value` looks like an RFC 9457 problem of this API. */
export function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).status === 'number' && typeof (value as Problem).detail === 'string';
}
