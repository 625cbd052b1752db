import { COORDINATOR_PREFIX } from '@crosscheck/contract';

/** The webhooks' Redis keys, under the coordinator's `cc:c:` (the delivery queue is `cc:c:webhook-deliveries:*`). */
export const webhookKeys = {
  /** Hash: `json` (the endpoint's settings), `secret`, `enabled` (`1`/`0`), `disabledReason`, `disabledAt`. */
  endpoint: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}`,
  /** Sorted set, every score 0: endpoint ids, listed in id order (ids sort by creation time). */
  index: () => `${COORDINATOR_PREFIX}:webhooks`,
  /** List, newest first: the endpoint's delivery attempts as JSON, trimmed to the newest N. */
  deliveries: (webhookId: string) => `${COORDINATOR_PREFIX}:webhook:${webhookId}:deliveries`,
} as const;
