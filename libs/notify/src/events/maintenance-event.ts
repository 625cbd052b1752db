import type { MaintenanceEventData } from '@crosscheck/contract';

/**
 * `maintenance.started` and `maintenance.ended` as the coordinator emits them (`data`: the window and
 * the occurrence, see `maintenanceEventDataSchema` in `@crosscheck/contract`), plus `monitors`: the
 * names of the monitors it covers, which the channel layer adds when it knows them (the event itself
 * carries their ids only). During a window rounds run but nothing pages; the words only tell people
 * that, and when it ends.
 */
export interface MaintenanceEvent {
  type: 'maintenance.started' | 'maintenance.ended';
  /** When it started or ended (ISO 8601). */
  timestamp: string;
  data: MaintenanceEventData & {
    /** The monitors the window covers, by name (URL userinfo redacted, as in every event); absent: their ids stand in. */
    monitors?: Array<{ id: string; name: string; url: string }>;
  };
}

/** The monitors of a maintenance event, by name when the event carries them, by id otherwise. */
export function maintenanceMonitors(event: MaintenanceEvent): Array<{ id: string; name: string; url: string }> {
  return event.data.monitors ?? event.data.maintenance.monitorIds.map((id) => ({ id, name: id, url: '' }));
}
