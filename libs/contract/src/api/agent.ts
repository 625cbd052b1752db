import { z } from 'zod';
import { isoTimeSchema } from './common';

/** An agent as its heartbeats describe it. */
export const agentSchema = z.object({
  region: z.string(),
  agentId: z.string(),
  version: z.string().nullable(),
  host: z.string().nullable(),
  pid: z.number().int().nullable(),
  startedAt: isoTimeSchema.nullable(),
  lastHeartbeat: isoTimeSchema.describe("From the region's heartbeat sorted set."),
  inFlight: z.number().int().nullable(),
  concurrency: z.number().int().nullable(),
  memoryBudgetBytes: z.number().int().nullable().describe("The agent's memory budget for bodies in flight (`AGENT_MEMORY_BUDGET_BYTES`)."),
  memoryReservedBytes: z.number().int().nullable().describe('How much of the budget checks hold now.'),
  waitingForMemory: z.number().int().nullable().describe('Checks waiting for memory budget (counted in `inFlight`).'),
  live: z.boolean().describe('Heartbeat seen within `AGENT_STALE_AFTER_MS`.'),
});
export type AgentView = z.output<typeof agentSchema>;

/** A region's coverage: blind when no agent of it is live. */
export const regionCoverageSchema = z.object({ liveAgents: z.number().int().min(0), blind: z.boolean() });
export type RegionCoverageView = z.output<typeof regionCoverageSchema>;

/** `GET /v1/agents`: agents of every known region, and each region's coverage. */
export const agentListSchema = z.object({
  agents: z.array(agentSchema),
  regions: z.record(z.string(), regionCoverageSchema),
});
