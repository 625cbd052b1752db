import { WEBHOOK_TEST_EVENT, type createdWebhookSchema, type OutboundEventType, type webhookSecretRotationSchema, type WebhookView } from '@crosscheck/contract';
import type { z } from 'zod';

export { WEBHOOK_EVENT_TYPES } from '@crosscheck/contract';

/**
 * Type of the synthetic event `POST /v1/webhooks/{id}/test` sends. Not subscribable: a test
 * delivery goes to the endpoint it was asked for, whatever the endpoint subscribes to.
 */
export const WEBHOOK_TEST_EVENT_TYPE = WEBHOOK_TEST_EVENT;

/** The type of any event a delivery carries. */
export type DeliveredEventType = OutboundEventType | typeof WEBHOOK_TEST_EVENT_TYPE;

/** A webhook endpoint as the API shows it: never with its secret; `key` its id when it has none, `revision` what `ETag` and `If-Match` carry (`webhookSchema` of `@crosscheck/contract`). */
export type WebhookEndpoint = WebhookView;

/** What `POST /v1/webhooks` answers: the endpoint and, this once, its signing secret. */
export type CreatedWebhookEndpoint = z.output<typeof createdWebhookSchema>;

/** What `POST /v1/webhooks/{id}/rotate-secret` answers: the new secret, this once. */
export type RotatedSecret = z.output<typeof webhookSecretRotationSchema>;

/** An endpoint with what the delivery worker needs besides what the API shows. */
export interface StoredWebhookEndpoint {
  endpoint: WebhookEndpoint;
  /** The secrets that sign now, opened: the current one, then the previous one during a rotation's overlap. */
  secrets: string[];
}
