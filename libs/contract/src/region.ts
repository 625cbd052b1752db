import { z } from 'zod';

/**
 * A region's name: where a group of agents probes from (`eu-west`, `us-east`, `onprem-dc1`).
 * Restricted so it is safe inside Redis keys, queue names and ACL patterns. The coordinator keeps a
 * registry of regions (named by monitors or created by operators, at most `MAX_REGIONS`); every
 * name in it passed this rule.
 */
export const regionNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or "-", starting with a letter or digit');

export type RegionName = z.infer<typeof regionNameSchema>;
