import type { DocumentChange } from '@crosscheck/contract';
import { z } from 'zod';
import { parseQuery } from './parse-query';

/**
 * What a dry run (`?dryRun=true`) answers: the request validated as if it were applied, nothing
 * stored or scheduled. `changes` turns the stored resource into `result`, leaf by leaf.
 */
export interface DryRun<T> {
  dryRun: true;
  changes: DocumentChange[];
  /** The resource as it would be shown once written. */
  result: T;
}

/** The query of a write that can be a dry run: `dryRun=true|false` (other parameters are left alone). */
const dryRunQuery = z.object({
  dryRun: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

/** Whether the request asks for a dry run; a 400 naming `dryRun` for a value other than true or false. */
export function isDryRun(query: unknown): boolean {
  return parseQuery(dryRunQuery, query).dryRun === 'true';
}
