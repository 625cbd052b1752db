import {
  WEBHOOK_TEST_EVENT,
  type ChannelRouting,
  type ChannelSecrets,
  type ChannelSettings,
  type ChannelType,
  type createdWebhookSchema, type OutboundEventType, type webhookSecretRotationSchema, type WebhookView } from '@crosscheck/contract';
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
  /** What kind of channel it is, and its settings. */
  channel: ChannelMeta;
  /** A channel's own secrets (routing key, webhook URL, SMTP password), opened; `{}` for a webhook, whose secrets sign. */
  channelSecrets: ChannelSecrets;
}

/**
 * What makes an endpoint a notification channel of its type: every channel (a PagerDuty service,
 * a Slack or Teams webhook, a mailbox, a Standard Webhooks receiver) is stored as an endpoint, so
 * that all of them share one delivery queue, circuit, log, dead letters and replay. An endpoint
 * stored without one (made through `/v1/webhooks` before channels existed) is a `webhook` channel
 * with routing `subscribed` ({@link legacyChannelMeta}).
 */
export interface ChannelMeta {
  type: ChannelType;
  name: string;
  routing: ChannelRouting;
  settings: ChannelSettings;
  /** Each secret that is set, by field, as its last 4 characters: what the API shows of it. */
  secretHints: Record<string, string>;
}

/** A stored endpoint with what makes it a channel. */
export interface ChannelRecord {
  endpoint: WebhookEndpoint;
  channel: ChannelMeta;
}

/** The channel an endpoint made through `/v1/webhooks` is. */
export function legacyChannelMeta(endpoint: Pick<WebhookEndpoint, 'url' | 'description'>): ChannelMeta {
  return {
    type: 'webhook',
    name: endpoint.description ?? new URL(endpoint.url).host,
    routing: 'subscribed',
    settings: { type: 'webhook', url: endpoint.url },
    secretHints: {},
  };
}

/** The last 4 characters of a secret, as the API shows that it is set. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}
