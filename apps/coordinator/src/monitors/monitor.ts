import type { IncidentPolicy, MonitorSpec, ReconcilePolicy } from '@crosscheck/checks';

/** What a user registers: a spec (how to request, what healthy means), where from and how often. */
export interface Monitor {
  /** `mon_` + 20 base-32 characters; ids sort by creation time. */
  id: string;
  /** The user's stable name for it (configuration files address it by this), when it was created with one. It never changes. */
  key?: string;
  name: string;
  /** Regions that check this monitor; each round asks every one of them. */
  regions: string[];
  intervalSeconds: number;
  /**
   * How each round's verdicts are reconciled (`reconcilePolicySchema`, defaults applied). Monitors
   * stored before policies existed lack it until their next update: read it through the schema.
   */
  reconcile: ReconcilePolicy;
  /** How incidents are confirmed (`incidentPolicySchema`, defaults applied); same caveat as `reconcile`. */
  incidents: IncidentPolicy;
  /** The monitor spec of `@crosscheck/checks`, with every default applied. */
  spec: MonitorSpec;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
}

/** A monitor as stored: with the revision that makes concurrent updates safe. */
export interface StoredMonitor {
  monitor: Monitor;
  revision: number;
}

/** A monitor as the API shows it (secrets redacted): every monitor has a key, and a revision. */
export interface PresentedMonitor extends Monitor {
  /** The key it was created with; its id when it has none. */
  key: string;
  /** 1 on create, +1 per stored change: what `ETag` and `If-Match` carry. */
  revision: number;
}
