/**
 * Where everything lives in Redis. Every key an agent of region R touches starts with
 * `cc:r:<R>:`, so one ACL user per region fences its credentials: `regionAclRule` in
 * `redis-acl.ts` (keys `~cc:r:<R>:*`, no channels, and an allowlist of the commands an agent runs:
 * nothing that lists, watches or describes the rest of the server). `apps/agent/src/agent.resilience.spec.ts`
 * proves an agent works under exactly that rule, and that its credentials reach nothing else.
 *
 * The coordinator's own keys live under `cc:c:`; agents never need them.
 */

/** Prefix of every key of the system. */
export const KEY_ROOT = 'cc';

/** BullMQ prefix of a region's queues: its queues' keys are `cc:r:<region>:<queue>:*`. */
export function regionPrefix(region: string): string {
  return `${KEY_ROOT}:r:${region}`;
}

/** BullMQ prefix of the coordinator's own queues (rounds, webhooks). */
export const COORDINATOR_PREFIX = `${KEY_ROOT}:c`;

/** A region's queue of check jobs, consumed by that region's agents. */
export const CHECK_QUEUE = 'checks';
/** A region's queue of results, filled by its agents and consumed by coordinators. */
export const RESULT_QUEUE = 'results';

/** Sorted set of the region's agents, scored by their last heartbeat (epoch ms). */
export function agentsKey(region: string): string {
  return `${regionPrefix(region)}:agents`;
}

/**
 * Hash describing one agent: version, started, in-flight checks, concurrency, host, memory budget
 * (`memoryBudgetBytes`, `memoryReservedBytes`, `waitingForMemory`). Expires when heartbeats stop.
 */
export function agentKey(region: string, agentId: string): string {
  return `${regionPrefix(region)}:agent:${agentId}`;
}

/** The ACL key pattern that fences a region's agents (see the module comment). */
export function regionAclPattern(region: string): string {
  return `~${regionPrefix(region)}:*`;
}

/** Agents beat every this many ms; one missing this long is considered gone. */
export const HEARTBEAT_INTERVAL_MS = 2_000;
export const AGENT_STALE_AFTER_MS = 10_000;
