import { z } from 'zod';
import { regionNameSchema } from '../region';
import { isoTimeSchema } from './common';
import { regionAgentCredentialsSchema } from './region-credentials';

/** A region's name, as the API documents it. */
export const regionNameViewSchema = regionNameSchema.meta({ examples: ['eu-west'] });

/**
 * A region of the registry as the API shows it: the record and what its agents' heartbeats say.
 * Answers that add to it (the agent credentials of a create) extend this schema.
 */
export const regionSchema = z.object({
  name: regionNameViewSchema,
  managedBy: z
    .enum(['operator', 'monitors'])
    .describe('`operator`: stays until an operator deletes it. `monitors`: goes when no monitor names it any more.'),
  createdAt: isoTimeSchema.nullable().describe('`null` for a region registered before the registry recorded it.'),
  monitorCount: z.number().int().min(0).describe('Monitors that check from it now.'),
  liveAgents: z.number().int().min(0).describe('Agents of the region whose heartbeat is fresh.'),
  blind: z.boolean().describe('No live agent: its checks go unanswered and are withdrawn at their deadline.'),
});
export type RegionView = z.output<typeof regionSchema>;

/** What `POST /v1/regions` answers: the region and, once, what its agents need to connect. */
export const regionCreatedSchema = regionSchema.extend({
  agent: regionAgentCredentialsSchema.optional().describe('What its agents need, shown this once; absent when the body said `"credentials": false`.'),
});
export type RegionCreatedView = z.output<typeof regionCreatedSchema>;

/** `GET /v1/regions`: every region of the registry, by name. */
export const regionListSchema = z.object({
  items: z.array(regionSchema),
  maxRegions: z.number().int().min(1).describe('`MAX_REGIONS`: regions beyond it are refused (409).'),
});
export type RegionListView = z.output<typeof regionListSchema>;
