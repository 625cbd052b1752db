import type { IncidentEventData, OutboundEventData, RegionEventData } from '@crosscheck/contract';
import type { MaintenanceEvent } from './maintenance-event';
import type { IncidentReminderEvent } from './reminder-event';

/** An incident transition, exactly as the coordinator emits it (`libs/contract/src/api/events.ts`). */
export interface IncidentNotification {
  type: 'incident.opened' | 'incident.updated' | 'incident.resolved';
  /** The round's scheduled time (ISO 8601): every time the renderer shows comes from the event. */
  timestamp: string;
  data: IncidentEventData;
}

/** A region of a monitor that went blind or came back, with the incident open then (or `null`). */
export interface RegionNotification {
  type: 'region.blind' | 'region.restored';
  timestamp: string;
  data: RegionEventData;
}

/** Everything the renderer turns into words: incident and region events, reminders and maintenance windows. */
export type NotifyEvent = IncidentNotification | RegionNotification | IncidentReminderEvent | MaintenanceEvent;

/** Every type of {@link NotifyEvent}. */
export type NotifyEventType = NotifyEvent['type'];

/** Events that are about one incident (its transitions and its reminders). */
export type IncidentScopedEvent = IncidentNotification | IncidentReminderEvent;

/** `true` for the events that carry an incident: `incident.*` (reminders included). */
export function isIncidentScoped(event: NotifyEvent): event is IncidentScopedEvent {
  return event.type.startsWith('incident.');
}

/** An event as the coordinator's outbox holds it: the type and the nullable-incident `data` of every incident and region event. */
export interface OutboundIncidentEvent {
  type: string;
  timestamp: string;
  data: OutboundEventData;
}

/**
 * Narrows an outbox event to what the renderer takes. The outbox's `data` is one shape for every
 * type (the incident nullable, the region optional); an `incident.*` event without its incident or a
 * `region.*` event without its region is a bug upstream, and rendering it would say something false.
 */
export function notifyEventOf(event: OutboundIncidentEvent): IncidentNotification | RegionNotification {
  const { type, timestamp, data } = event;
  if (type === 'incident.opened' || type === 'incident.updated' || type === 'incident.resolved') {
    const { incident } = data;
    if (incident === null) throw new Error(`${type} without the incident it is about`);
    return { type, timestamp, data: { ...data, incident } };
  }
  if (type === 'region.blind' || type === 'region.restored') {
    const { region } = data;
    if (region === undefined) throw new Error(`${type} without the region it is about`);
    return { type, timestamp, data: { ...data, region } };
  }
  throw new Error(`no words for event type ${type}`);
}
