import type { AgentView as AgentSchemaView, RegionCoverageView } from '@crosscheck/contract';

/** An agent as its heartbeats describe it (`agentSchema` of `@crosscheck/contract`). */
export type AgentView = AgentSchemaView;

/** A region's coverage: blind when no agent of it is live. */
export type RegionCoverage = RegionCoverageView;
