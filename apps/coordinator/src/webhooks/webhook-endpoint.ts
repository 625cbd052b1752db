import type { OutboundEventType } from '@crosscheck/contract';
import type { CircuitState } from './delivery-circuit';

export { WEBHOOK_EVENT_TYPES } from '@crosscheck/contract';

/**
 * Type of the synthetic event `POST /v1/webhooks/{id}/test` sends. Not subscribable: a test
 * delivery goes to the endpoint it was asked for, whatever the endpoint subscribes to.
 */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';

/** The type of any event a delivery carries. */
export type DeliveredEventType = OutboundEventType | typeof WEBHOOK_TEST_EVENT_TYPE;

/** A webhook endpoint as the API shows it: never with its secret. */
export interface WebhookEndpoint {
  /** `wh_` + 20 base-32 characters; ids sort by creation. */
  id: string;
  url: string;
  events: OutboundEventType[];
  description: string | null;
  /** `false` once the endpoint was disabled (410 Gone, failing for too long, or through the API). */
  enabled: boolean;
  /** `enabled` as a word. */
  state: 'enabled' | 'disabled';
  /** Why the endpoint was disabled; `null` while enabled. */
  disabledReason: string | null;
  /** ISO 8601; `null` while enabled. */
  disabledAt: string | null;
  /** The endpoint's circuit breaker. */
  circuit: CircuitState;
  /** Failed attempts since the last success. */
  consecutiveFailures: number;
  /** ISO 8601: the first failure since the last success; `null` while healthy. */
  failingSince: string | null;
  /** ISO 8601: until when the secret replaced by the last rotation still signs; `null` when it does not. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What `POST /v1/webhooks` answers: the endpoint and, this once, its signing secret. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). Shown only in the answer to the create. */
  secret: string;
}

/** What `POST /v1/webhooks/{id}/rotate-secret` answers: the new secret, this once. */
export interface RotatedSecret {
  secret: string;
  /** ISO 8601: until when the previous secret also signs; `null` with no overlap. */
  previousSecretExpiresAt: string | null;
}

/** An endpoint with what the delivery worker needs besides what the API shows. */
export interface StoredWebhookEndpoint {
  endpoint: WebhookEndpoint;
  /** The secrets that sign now, opened: the current one, then the previous one during a rotation's overlap. */
  secrets: string[];
}
