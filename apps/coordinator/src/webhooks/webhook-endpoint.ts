import { INCIDENT_EVENT_TYPES } from '@crosscheck/checks';
import type { OutboundEventType } from '../events/event-sink';

/** Event types an endpoint may subscribe to (an endpoint created without `events` gets them all). */
export const WEBHOOK_EVENT_TYPES = INCIDENT_EVENT_TYPES satisfies readonly OutboundEventType[];

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
  /** `false` once the endpoint answered `410 Gone` (or was disabled through the API). */
  enabled: boolean;
  /** Why the endpoint was disabled; `null` while enabled. */
  disabledReason: string | null;
  /** ISO 8601; `null` while enabled. */
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What `POST /v1/webhooks` answers: the endpoint and, this once, its signing secret. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). Shown only in the answer to the create. */
  secret: string;
}

/** An endpoint with what the delivery worker needs besides what the API shows. */
export interface StoredWebhookEndpoint {
  endpoint: WebhookEndpoint;
  secret: string;
}
