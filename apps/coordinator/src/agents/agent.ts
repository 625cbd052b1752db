/** An agent as its heartbeats describe it. */
export interface AgentView {
  region: string;
  agentId: string;
  version: string | null;
  host: string | null;
  pid: number | null;
  /** ISO 8601. */
  startedAt: string | null;
  /** ISO 8601, from the region's heartbeat sorted set. */
  lastHeartbeat: string;
  inFlight: number | null;
  concurrency: number | null;
  /** The agent's memory budget for bodies in flight (`AGENT_MEMORY_BUDGET_BYTES`), and how much of it checks hold. */
  memoryBudgetBytes: number | null;
  memoryReservedBytes: number | null;
  /** Checks waiting for memory budget (counted in `inFlight`). */
  waitingForMemory: number | null;
  /** Heartbeat seen within `AGENT_STALE_AFTER_MS`. */
  live: boolean;
}

/** A region's coverage: blind when no agent of it is live. */
export interface RegionCoverage {
  liveAgents: number;
  blind: boolean;
}
