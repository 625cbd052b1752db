import type { IncidentEventType } from '@crosscheck/checks';
import type { MaintenanceEventData, MaintenanceEventType, OutboundEventData } from '@crosscheck/contract';

export type { OutboundEventType } from '@crosscheck/contract';

/**
 * A confirmed event on its way to the team's tools, already in the Standard Webhooks payload
 * shape (`{type, timestamp, data}`) plus its stable id. The id is the `webhook-id` of every
 * delivery attempt of this event, to every endpoint: receivers deduplicate on it.
 */
export interface OutboundEvent {
  /** Stable across retries and replicas (the incident machine's `eventId`). */
  id: string;
  type: IncidentEventType;
  /** ISO 8601: when the event happened (the round's scheduled time). */
  timestamp: string;
  /**
   * The payload's `data`: incident, monitor, classification before and after, each region's verdict
   * (`incidentEventDataSchema` / `regionEventDataSchema` of `@crosscheck/contract`, the schemas the
   * OpenAPI document's `webhooks` show).
   */
  data: OutboundEventData;
}

/** A maintenance window's occurrence started or ended: `{type, timestamp, data}` plus its stable id. */
export interface MaintenanceOutboundEvent {
  /** `evt_<windowId>_<occurrence start>_started|ended`: stable across coordinators. */
  id: string;
  type: MaintenanceEventType;
  /** ISO 8601: the occurrence's start (`started`) or end (`ended`). */
  timestamp: string;
  data: MaintenanceEventData;
}

/** Anything the outbox carries to the sink. */
export type SinkEvent = OutboundEvent | MaintenanceOutboundEvent;

/**
 * Where confirmed events go. The incidents module publishes each event at least once; the sink
 * (the webhooks module) must make publishing the same event twice a no-op, so every endpoint gets
 * each event exactly once (retried until it succeeds, under the same `webhook-id`).
 */
export interface EventSink {
  publish(event: SinkEvent): Promise<void>;
}

/** Injection token of the {@link EventSink}. */
export const EVENT_SINK = Symbol('EVENT_SINK');
