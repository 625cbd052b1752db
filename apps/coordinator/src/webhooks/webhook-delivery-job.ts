import { createHash } from 'node:crypto';
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE, type DeliveredEventType } from './webhook-endpoint';

/**
 * BullMQ queue of outbound deliveries (prefix `cc:c`): one job per event per endpoint. It is the
 * one durable delivery path (schedule, circuit, dead letters, replay); a job's `channel` says how
 * it is sent. Webhooks are the only channel today; another (PagerDuty, Slack) adds its name here
 * and a sender, and keeps the rest.
 */
export const WEBHOOK_DELIVERIES_QUEUE = 'webhook-deliveries';
export const DELIVER_JOB_NAME = 'deliver';

/** How a delivery is sent. */
export const DELIVERY_CHANNELS = ['webhook', 'pagerduty', 'slack', 'teams', 'email'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/**
 * How long a delivered job is kept. Job ids are what makes publishing an event twice a no-op, so
 * this is the window (after delivery) within which a second publish of the same event adds
 * nothing, far longer than an outbox relay takes to publish again after a crash; and the window
 * in which `POST .../retry` can send a delivered event again.
 */
export const DELIVERED_JOB_RETENTION_SECONDS = 24 * 3_600;
/** How long a dead letter (a job that failed for good) is kept for retry and replay. */
export const DEAD_LETTER_RETENTION_SECONDS = 30 * 24 * 3_600;

/** What a delivery job carries. The body is serialized once, when the event is published: every attempt sends the same bytes. */
export interface DeliverJobData {
  channel: DeliveryChannel;
  /** The endpoint (for webhooks: `wh_…`). */
  endpointId: string;
  /** The `webhook-id` header. */
  eventId: string;
  type: DeliveredEventType;
  /** The exact request body: `{"type","timestamp","data"}` as JSON. */
  body: string;
}

const eventType = z.enum([...(WEBHOOK_EVENT_TYPES as readonly string[]), WEBHOOK_TEST_EVENT_TYPE] as unknown as [string, ...string[]]).transform((type) => type as DeliveredEventType);

const current = z.object({
  channel: z.enum(DELIVERY_CHANNELS),
  endpointId: z.string().min(1),
  eventId: z.string().min(1),
  type: eventType,
  body: z.string().min(2),
});

/** The shape the previous version queued: still read, so an upgrade loses no queued delivery. */
const previous = z
  .object({ webhookId: z.string().min(1), eventId: z.string().min(1), type: eventType, body: z.string().min(2) })
  .transform(({ webhookId, ...rest }): DeliverJobData => ({ channel: 'webhook', endpointId: webhookId, ...rest }));

/** Parses a job's data at the worker's boundary; a job that does not parse is unrecoverable. */
export const deliverJobDataSchema: z.ZodType<DeliverJobData, unknown> = z.union([current, previous]);

/**
 * What an event id may look like: visible ASCII, at most 256 characters. It is sent as the
 * `webhook-id` header, so it must be a valid header value.
 */
export const EVENT_ID_PATTERN = /^[\x21-\x7e]{1,256}$/;

/**
 * The job id of the delivery of `eventId` to `webhookId`: the same on every publish, so a second
 * publish is a no-op. BullMQ ids cannot contain `:`; an event id with one is hashed.
 */
export function deliveryJobIdFor(eventId: string, webhookId: string): string {
  const part = eventId.includes(':') ? `h${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}` : eventId;
  return `${part}-${webhookId}`;
}
