import { formatIssuePath } from '@crosscheck/checks';
import { regionNameSchema } from '@crosscheck/contract';
import { z } from 'zod';
import type { FieldIssue } from '../http/problem';

/**
 * `POST /v1/regions`: a region's name, under the wire contract's rule (safe in keys, queue names and
 * ACL patterns), and whether to issue its agents' Redis credentials (default `true`).
 */
export const regionInputSchema = z
  .object({
    name: regionNameSchema,
    credentials: z
      .boolean()
      .default(true)
      .meta({ description: 'Issue the Redis ACL user of the region’s agents and answer, once, with their environment (`agent`). `false`: the region only' }),
  })
  .strict();

export type RegionInput = z.output<typeof regionInputSchema>;

/** The body of `POST /v1/regions`, or every field at fault (an unknown field named by its own path). */
export function parseRegionInput(body: unknown): { ok: true; input: RegionInput } | { ok: false; issues: FieldIssue[] } {
  const parsed = regionInputSchema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, input: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: formatIssuePath([...issue.path, key]), message: 'unknown field' }))
        : [{ path: formatIssuePath(issue.path), message: issue.message }],
    ),
  };
}
