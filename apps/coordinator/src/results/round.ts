import type { Cause, ExpectationResult, KeyEvidence, VerdictStatus } from '@crosscheck/checks';
import type { ObservationSummary } from '@crosscheck/contract';

/** A region's status in a round: a verdict, or `missing` when it did not answer (never `down`). */
export type RegionStatus = VerdictStatus | 'missing';

/** What one region reported for a round (or why it reported nothing). */
export interface RegionReport {
  status: RegionStatus;
  causes: Cause[];
  /** The verdict's key evidence; `null` when missing. */
  evidence: KeyEvidence | null;
  agentId: string | null;
  agentVersion: string | null;
  /** When the agent finished the check (ISO 8601); `null` when missing. */
  checkedAt: string | null;
  /** Why the region is missing. */
  reason?: string;
  /**
   * The result was over `MAX_STORED_RESULT_BYTES` as usually compacted, and was cut further
   * (shorter texts, fewer expectations, one cause per code): see `compact-result.ts`.
   */
  truncated?: true;
}

/** How a result's expectations went: only the failed ones are kept, the others counted. */
export interface ExpectationCounts {
  passed: number;
  failed: number;
  /** Not evaluated, e.g. body expectations on a 304. */
  notEvaluated: number;
}

/** How a round came to be finalized. */
export type FinalizedBy = 'all_answered' | 'deadline';

/** A finalized round: every expected region with its report, written once. */
export interface RoundSummary {
  roundId: string;
  monitorId: string;
  /** Epoch ms. */
  scheduledAt: number;
  /** Epoch ms. */
  deadline: number;
  /** Epoch ms. */
  finalizedAt: number;
  finalizedBy: FinalizedBy;
  /** Every expected region answered. */
  complete: boolean;
  regions: Record<string, RegionReport>;
}

/** A round about to start. */
export interface NewRound {
  roundId: string;
  monitorId: string;
  scheduledAt: number;
  deadline: number;
  regions: string[];
}

/** One entry of a monitor's result history: one region's answer to one round, or its absence. */
export interface ResultRecord extends RegionReport {
  roundId: string;
  monitorId: string;
  region: string;
  /** Epoch ms. */
  scheduledAt: number;
  /** The FAILED expectations, values cut to `STORED_VALUE_CHARS` (records before compaction: all of them). */
  expectations?: ExpectationResult[];
  /** Counts of every expectation of the verdict, the passed ones included. */
  expectationCounts?: ExpectationCounts;
  /** Causes dropped by a hard cut (each code and severity keeps its first cause). */
  droppedCauses?: number;
  /** Epoch ms, when the agent started probing. */
  startedAt?: number;
  observation?: ObservationSummary;
  /**
   * Stored compact: an `up` result like its region's previous one (see `healthy-entry.ts`). Its
   * causes carry code and severity only, and it has no expectations (they are counted) nor observation.
   */
  compact?: true;
}

/** The latest result of a region, kept per monitor (and the validators for conditional requests). */
export interface LatestRegionResult {
  roundId: string;
  scheduledAt: number;
  status: RegionStatus;
  checkedAt: string;
  validators?: { etag?: string; lastModified?: string };
  /** The probe's timings per phase (ms), for `/metrics`; absent in results stored before they were kept. */
  timings?: ObservationSummary['timings'];
}
