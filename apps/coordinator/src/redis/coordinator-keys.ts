import { COORDINATOR_PREFIX } from '@crosscheck/contract';

/**
 * The coordinator's own keys, all under `cc:c:` (BullMQ queues of the coordinator share the
 * prefix: `cc:c:rounds:*`, `cc:c:round-deadlines:*`).
 */
export const coordinatorKeys = {
  /** String: a monitor as JSON. */
  monitor: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}`,
  /** Sorted set, every score 0: monitor ids, listed in id order (ids sort by creation time). */
  monitorIndex: () => `${COORDINATOR_PREFIX}:monitors`,
  /** Hash: the monitor's latest finalized round and latest result per region. */
  monitorState: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:state`,
  /** Stream: the monitor's result history (one entry per region per round, `missing` included). */
  monitorHistory: (monitorId: string) => `${COORDINATOR_PREFIX}:monitor:${monitorId}:history`,
  /** Set: every region some monitor checks from (the wire contract's `cc:c:regions`). */
  regions: () => `${COORDINATOR_PREFIX}:regions`,
  /** Set: ids of the monitors checking from a region; the region leaves `regions` when it empties. */
  regionMonitors: (region: string) => `${COORDINATOR_PREFIX}:region:${region}:monitors`,
  /** What `regionMonitors(region)` starts with, for Lua scripts that build the key from a region. */
  regionMonitorsPrefix: () => `${COORDINATOR_PREFIX}:region:`,
  /** Hash: one round: expected regions, deadline, each region's result, finalization. Expires. */
  round: (roundId: string) => `${COORDINATOR_PREFIX}:round:${roundId}`,
  /** Hash: an API token: `json` (id, name, scope, createdAt), `hash` (SHA-256 hex of the token), `lastUsedAt`. */
  token: (tokenId: string) => `${COORDINATOR_PREFIX}:token:${tokenId}`,
  /** String: `{id, scope}` of the token whose SHA-256 (hex) this is: the lookup of every request. */
  tokenByHash: (sha256Hex: string) => `${COORDINATOR_PREFIX}:token-hash:${sha256Hex}`,
  /** Sorted set, every score 0: API token ids, listed in id order (ids sort by creation time). */
  tokenIndex: () => `${COORDINATOR_PREFIX}:tokens`,
  /** String, expires within a minute: a rate limit's theoretical arrival time (GCRA), per subject (`token:<id>`, `address:<ip>`). */
  rateLimit: (subject: string) => `${COORDINATOR_PREFIX}:rate:${subject}`,
} as const;
