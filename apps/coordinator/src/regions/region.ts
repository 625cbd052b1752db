/**
 * Who keeps a region in the registry: an operator (it stays until an operator deletes it), or the
 * monitors that name it (it goes when the last of them stops naming it).
 */
export type RegionManager = 'operator' | 'monitors';

/** A region as the registry stores it. */
export interface RegionRecord {
  name: string;
  managedBy: RegionManager;
  /** ISO 8601; `null` for a region registered before the registry recorded it. */
  createdAt: string | null;
  /** Monitors that check from it now. */
  monitorCount: number;
}

/** `GET /v1/regions/{name}`: the record and what its agents' heartbeats say. */
export interface RegionView extends RegionRecord {
  /** Agents of the region whose heartbeat is fresh. */
  liveAgents: number;
  /** No live agent: its checks go unanswered (and are dropped at their deadline). */
  blind: boolean;
}

/** `GET /v1/regions`. */
export interface RegionList {
  items: RegionView[];
  /** `MAX_REGIONS`: the registry refuses regions beyond it. */
  maxRegions: number;
}
