import type { CauseCode } from '../verdict/verdict';
import type { Classification } from './classification';
import type { RegionEvidence } from './region-evidence';

/** The rules of {@link reconcile}, in priority order; the first that applies decides. Stable strings. */
export const RECONCILE_RULES = [
  'too_few_answers',
  'stale_cache_behind_edge',
  'unverified_cache_while_down',
  'outage_quorum',
  'down_below_quorum',
  'version_skew',
  'degraded_regions',
  'all_up',
] as const;

export type ReconcileRule = (typeof RECONCILE_RULES)[number];

/** The counts behind a decision, so a person can check the quorum arithmetic. */
export interface ReconcileTally {
  /** Regions the round expected. */
  expected: number;
  /** Regions that answered (not missing, not refused). */
  answered: number;
  /** Answers needed to decide. */
  answersNeeded: number;
  /** Regions down with fresh evidence. */
  downFresh: number;
  /** Regions down behind a cache (`stale_cache`). */
  downBehindCache: number;
  /** Fresh `down` regions needed for an `outage`. */
  downNeededForOutage: number;
  degraded: number;
  up: number;
}

/** What reconciling one round concludes, and why. Plain data, JSON-safe, deterministic. */
export interface Reconciliation {
  classification: Classification;
  /**
   * The regions the classification is about, sorted: the down ones for `outage` and
   * `regional_outage`; the ones down, down behind a cache, or answering from a cache nothing
   * verified (by rule `unverified_cache_while_down`: only those showing staleness or no freshness
   * reading, and those whose content lags) for `masked_outage`; the degraded ones for `degraded` (the lagging ones, by rule `version_skew`);
   * none for `operational` and `unknown`.
   */
  affectedRegions: string[];
  /** Regions that gave no usable answer (missing, or the agent refused the target), sorted. */
  blindRegions: string[];
  /** One line a person reads in a page: what was seen, where. */
  reason: string;
  /** The rule that decided. */
  rule: ReconcileRule;
  /**
   * The rule first, then the cause codes of the affected regions that carried the decision, the most
   * widespread first (ties alphabetical), e.g. `['outage_quorum', 'lb_error_page']`.
   */
  decidedBy: Array<ReconcileRule | CauseCode>;
  tally: ReconcileTally;
  /** Every expected region's key facts, keyed by region (sorted). */
  evidence: Record<string, RegionEvidence>;
}
