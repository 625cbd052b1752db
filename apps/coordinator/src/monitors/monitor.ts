import type { MonitorView } from '@crosscheck/contract';

/**
 * What a user registers: a spec (how to request, what healthy means), where from and how often,
 * as the API shows it (`monitorSchema` of `@crosscheck/contract`, so the server and the document
 * cannot disagree). `reconcile` and `incidents` carry their defaults; monitors stored before the
 * policies existed lack them until their next update: read them through the schema.
 */
export type Monitor = MonitorView;

/** A monitor as stored: with the revision that makes concurrent updates safe. */
export interface StoredMonitor {
  monitor: Monitor;
  revision: number;
}
