import type { FieldChange } from '../api/wire-shapes';

export type ResourceType = 'region' | 'monitor' | 'webhook' | 'channel' | 'policy' | 'status-page' | 'maintenance';

/** A resource by its address: type and key (a region's key is its name). */
export interface ResourceRef {
  type: ResourceType;
  key: string;
  /** The server's id (a region's is its name); absent for a resource still to create. */
  id?: string;
}

/** Something `apply` will do. `revision` is what the plan read: apply sends it as `If-Match`. */
export type PlanAction =
  | (ResourceRef & { action: 'create'; note?: string })
  | (ResourceRef & { action: 'update'; id: string; revision: number | null; changes: FieldChange[]; note?: string })
  | (ResourceRef & { action: 'delete'; id: string; revision: number | null; note?: string });

/** What a plan found, in the order apply carries it out. */
export interface Plan {
  /** The coordinator it was made against. */
  server: string;
  /** The configuration file. */
  file: string;
  /** sha256 of what the file declares (variables filled in): `apply --plan` refuses another file. */
  digest: string;
  actions: PlanAction[];
  /** Resources the file declares that need nothing. */
  unchanged: number;
  /** Resources on the server the file does not declare and this plan leaves alone (no `--prune`). */
  notInFile: ResourceRef[];
  /** Notes that are no action (a region kept because monitors use it). */
  notes: string[];
}

/** Counts for the summary line. */
export function planCounts(plan: Plan): { create: number; update: number; delete: number } {
  return {
    create: plan.actions.filter((a) => a.action === 'create').length,
    update: plan.actions.filter((a) => a.action === 'update').length,
    delete: plan.actions.filter((a) => a.action === 'delete').length,
  };
}
