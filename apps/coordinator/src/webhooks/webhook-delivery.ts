import { ENDPOINT_RECORD_TYPES, type DeliveryAttemptView, type DeliveryView, type EndpointRecordView } from '@crosscheck/contract';

/** How one delivery attempt ended. */
export type DeliveryOutcome =
  /** The receiver answered 2xx: delivered. */
  | 'succeeded'
  /** It failed and will be tried again at `nextAttemptAt` (or later, if the endpoint's circuit is open then). */
  | 'retrying'
  /** It failed and was the last attempt of the schedule (or the target resolved to a refused address): a dead letter. */
  | 'failed'
  /** This attempt disabled the endpoint (`410 Gone`, or failing continuously too long): a dead letter. */
  | 'disabled'
  /** Not sent: the endpoint was disabled when the delivery's turn came. A dead letter, for a replay once enabled. */
  | 'skipped'
  /** Not sent: nothing new for this channel (a PagerDuty update whose summary did not change). */
  | 'suppressed';

/** Where a delivery stands after an attempt: another attempt is scheduled, it is delivered, or it is a dead letter. */
export type AttemptState = 'scheduled' | 'delivered' | 'dead';

/** The state each outcome leaves a delivery in. */
export const STATE_AFTER: Readonly<Record<DeliveryOutcome, AttemptState>> = {
  succeeded: 'delivered',
  retrying: 'scheduled',
  failed: 'dead',
  disabled: 'dead',
  skipped: 'dead',
  suppressed: 'delivered',
};

/** One attempt to deliver one event to one endpoint, as `GET /v1/webhooks/{id}/deliveries` shows it (`deliveryAttemptSchema`). */
export type DeliveryAttempt = DeliveryAttemptView;

/** Types of the records an endpoint's own changes of state leave in its delivery log. */
export { ENDPOINT_RECORD_TYPES } from '@crosscheck/contract';

/** An endpoint disabled (by a `410`, by failing for too long, or through the API) or enabled again. */
export type EndpointRecord = EndpointRecordView;

/** One entry of an endpoint's delivery log, newest first: an attempt, or a change of the endpoint's state. */
export type DeliveryLogEntry = DeliveryAttempt | EndpointRecord;

/** Whether a log entry is an attempt (rather than an {@link EndpointRecord}). */
export function isAttempt(entry: DeliveryLogEntry): entry is DeliveryAttempt {
  return !(ENDPOINT_RECORD_TYPES as readonly string[]).includes(entry.type);
}

/** Where a delivery is now. */
export type DeliveryState =
  /** Queued: the next free worker sends it. */
  | 'pending'
  /** Waiting: for its next attempt by the schedule, or for the endpoint's circuit to let a probe through. */
  | 'scheduled'
  /** An attempt is under way. */
  | 'sending'
  | 'delivered'
  /** A dead letter: kept (30 days) for `POST .../retry` or `POST .../replay`. */
  | 'dead';

/** One delivery as `GET /v1/webhooks/{id}/deliveries/{deliveryId}` shows it (`deliverySchema`). */
export type Delivery = DeliveryView;
