import type { DeliveredEventType } from './webhook-endpoint';

/** How one delivery attempt ended. */
export type DeliveryOutcome =
  /** The receiver answered 2xx: delivered. */
  | 'succeeded'
  /** It failed and will be tried again after a backoff. */
  | 'retrying'
  /** It failed and was the last attempt: the event will not reach this endpoint. */
  | 'failed'
  /** The receiver answered `410 Gone`: the endpoint is disabled, nothing more is sent to it. */
  | 'disabled';

/** One attempt to deliver one event to one endpoint, as `GET /v1/webhooks/{id}/deliveries` shows it. */
export interface DeliveryAttempt {
  /** The delivery (one event to one endpoint): the queue job's id, `<eventId>-<webhookId>`. */
  deliveryId: string;
  /** The `webhook-id` header: the same on every attempt of the delivery. */
  eventId: string;
  type: DeliveredEventType;
  /** 1 for the first attempt. */
  attempt: number;
  /** ISO 8601: when the attempt started. */
  at: string;
  /** The HTTP status the receiver answered; `null` when there was no answer (timeout, refused, reset). */
  status: number | null;
  /** From the start of the request to the end of the response (or the failure). */
  durationMs: number;
  /** Why the attempt failed; `null` when it succeeded. */
  error: string | null;
  outcome: DeliveryOutcome;
}
