import type { MonitorView } from '@crosscheck/contract';

/**
 * What a user registers: a spec (how to request, what healthy means), where from and how often,
 * as stored: the API's shape (`monitorSchema` of `@crosscheck/contract`) without what presenting
 * adds, so `key` only when it was created with one, and no revision (kept beside the document).
 * `reconcile` and `incidents` carry their defaults; monitors stored before the policies existed
 * lack them until their next update: read them through the schema.
 */
export type Monitor = Omit<MonitorView, 'key' | 'revision' | 'labels' | 'channels'> & {
  /** Its labels and own channels; monitors stored before they existed have neither (read as `{}` and `[]`). */
  labels?: Record<string, string>;
  channels?: string[];
  /** The user's stable name for it (configuration files address it by this), when it was created with one. It never changes. */
  key?: string;
};

/** A monitor as stored: with the revision that makes concurrent updates safe. */
export interface StoredMonitor {
  monitor: Monitor;
  revision: number;
}

/**
 * A monitor as the API shows it (secrets redacted, `monitorSchema`): every monitor has a key (its
 * id when it has none) and a revision (what `ETag` and `If-Match` carry).
 */
export type PresentedMonitor = MonitorView;
