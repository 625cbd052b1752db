import type { Cause, KeyEvidence, VerdictStatus } from '../verdict/verdict';

/** A region's status in a round: its verdict's status, or `missing` when it did not answer (never `down`). */
export type RegionStatus = VerdictStatus | 'missing';

/**
 * What one region reported for a round, as reconcile reads it. The coordinator's stored region
 * report fits as is (extra fields are ignored).
 */
export interface RegionVerdict {
  status: RegionStatus;
  /** The verdict's causes; empty when missing. */
  causes: Cause[];
  /** The verdict's key evidence; absent or `null` when missing. */
  evidence?: KeyEvidence | null;
  /** Why the region is missing, when the coordinator knows (e.g. no live agent). Shown to people as is. */
  reason?: string;
}

/** Every expected region of one round, answered or not: the keys are the regions the round expected. */
export interface RoundVerdicts {
  regions: Record<string, RegionVerdict>;
}
