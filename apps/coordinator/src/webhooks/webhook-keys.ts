import { COORDINATOR_PREFIX } from '@crosscheck/contract';

/** The webhooks' Redis keys, under the coordinator's `cc:c:` (the delivery queue is `cc:c:webhook-deliveries:*`). */
export const webhookKeys = {
  /**
   * Hash: `json` (the endpoint's settings), `secret` (sealed), `previousSecret` (sealed) and
   * `previousSecretExpiresAt` (epoch ms) during a rotation's overlap, `enabled` (`1`/`0`),
   * `disabledReason`, `disabledAt`.
   */
  endpoint: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}`,
  /** Sorted set, every score 0: endpoint ids, listed in id order (ids sort by creation time). */
  index: () => `${COORDINATOR_PREFIX}:webhooks`,
  /** List, newest first: the endpoint's delivery attempts and state changes as JSON, trimmed to the newest N. */
  deliveries: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}:deliveries`,
  /** Hash: the endpoint's circuit breaker (`state`, `failures`, `failingSince`, `openUntil`, `probeUntil`, `opens`); absent = closed. */
  circuit: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}:circuit`,
  /** Sorted set: the endpoint's dead letters (delivery ids), scored by when each delivery was queued (epoch ms). */
  deadLetters: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}:dead`,
} as const;
