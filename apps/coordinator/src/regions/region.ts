import type { RegionListView, RegionView as RegionViewSchema } from '@crosscheck/contract';

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

/** `GET /v1/regions/{name}`: the record and what its agents' heartbeats say (`regionSchema` of `@crosscheck/contract`). */
export type RegionView = RegionViewSchema;

/** `GET /v1/regions`. */
export type RegionList = RegionListView;
