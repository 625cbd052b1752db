/**
 * Where everything lives in Redis. Every key an agent of region R touches starts with
 * `cc:r:{<R>}:`, so one ACL user per region fences its credentials: `regionAclRule` in
 * `redis-acl.ts` (keys `~cc:r:{<R>}:*`, no channels, and an allowlist of the commands an agent runs:
 * nothing that lists, watches or describes the rest of the server). `apps/agent/src/agent.resilience.spec.ts`
 * proves an agent works under exactly that rule, and that its credentials reach nothing else.
 *
 * The `{<R>}` is a Redis Cluster hash tag: every key of a region hashes to one slot, so a region's
 * queues (BullMQ's Lua scripts touch several of their keys at once) live on one shard, as BullMQ
 * documents for clusters. On a single Redis the braces are just characters.
 *
 * The coordinator's own keys live under `cc:{c}:` and `cc:{s<N>...}:` (its catalog and its state
 * shards, see the coordinator's `coordinator-keys.ts`); agents never need them.
 */

/** Prefix of every key of the system. */
export const KEY_ROOT = 'cc';

/**
 * BullMQ prefix of a region's queues: its queues' keys are `cc:r:{<region>}:<queue>:*`, all in the
 * slot of the hash tag `{<region>}`.
 */
export function regionPrefix(region: string): string {
  return `${KEY_ROOT}:r:{${region}}`;
}

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

// ---- the coordinator's layout (its keys are in apps/coordinator/src/redis/coordinator-keys.ts);
// here because tools that watch the coordinator's queues (the bench, tests) must find them too.

/** Number of state shards. Fixed for a deployment: changing it moves every monitor's state. */
export const STATE_SHARDS = 16;

/**
 * The hash tag of each state shard: `s<N>.<k>` with the smallest `k` whose CRC16 slot falls in
 * `[N × 1024, (N + 1) × 1024)` (checked by `coordinator-keys.spec.ts`).
 */
export const STATE_SHARD_TAGS: readonly string[] = [
  's0.10', 's1.13', 's2.23', 's3.20', 's4.0', 's5.3', 's6.40', 's7.43',
  's8.23', 's9.20', 's10.22', 's11.21', 's12.2', 's13.1', 's14.41', 's15.42',
];

/** Prefix of the catalog's keys and of its BullMQ queue (`webhook-deliveries`). */
export const CATALOG_PREFIX = `${KEY_ROOT}:{c}`;

/** Prefix of state shard `shard`'s keys and of its BullMQ queues (`rounds`, `round-deadlines`). */
export function shardPrefix(shard: number): string {
  return `${KEY_ROOT}:{${STATE_SHARD_TAGS[shard]}}`;
}

/**
 * The state shard of a monitor: FNV-1a of its id, modulo {@link STATE_SHARDS}. Ids of rounds
 * (`<monitorId>-<scheduledAt>`), incidents (`inc_<monitorId>_<openedAt>`) and events start with or
 * embed the monitor id, so their keys are found from the id alone.
 */
export function shardOf(monitorId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < monitorId.length; i++) {
    hash ^= monitorId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % STATE_SHARDS;
}

