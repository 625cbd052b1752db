import type { ExpectationResult } from '@crosscheck/checks';
import type { ClassificationSummary, IncidentRecord } from '../incidents/incident-record';
import type { ExpectationCounts, RegionReport } from './round';

/** `GET /v1/monitors/{id}/status`: the latest finalized round, region by region. */
export interface MonitorStatus {
  monitorId: string;
  /** The latest finalized round; `null` before the first one is finalized. */
  round: {
    roundId: string;
    scheduledAt: string;
    deadline: string;
    finalizedAt: string;
    finalizedBy: string;
    /** Every expected region answered. */
    complete: boolean;
  } | null;
  /** Every region the monitor checks from now; regions not in that round are `missing` with a reason. */
  regions: Record<string, RegionReport>;
  /**
   * What reconciling the latest applied round concluded (classification, affected and blind
   * regions, reason, deciding rule and causes); `null` before the first round was applied.
   */
  classification: ClassificationSummary | null;
  /** The monitor's open incident; `null` when none is open. */
  incident: IncidentRecord | null;
}

/** One entry of `GET /v1/monitors/{id}/results`. */
export interface ResultView extends RegionReport {
  roundId: string;
  region: string;
  scheduledAt: string;
  startedAt: string | null;
  /** When this coordinator recorded it (ISO 8601); `since`/`until` filter on this. */
  recordedAt: string;
  /** Arrived after its round was finalized (the round counted the region as missing). */
  late: boolean;
  /** The failed expectations, values cut to 256 characters. */
  expectations?: ExpectationResult[];
  /** How every expectation went: the passed and not evaluated ones are only counted. */
  expectationCounts?: ExpectationCounts;
  droppedCauses?: number;
  observation?: unknown;
  /** An `up` result like its region's previous one, stored compact: causes without message or evidence, no observation. */
  compact?: true;
}
