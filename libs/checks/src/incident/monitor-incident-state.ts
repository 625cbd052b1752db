import type { DecidedClassification } from '../reconcile/classification';
import type { IncidentClassification, IncidentSeverity } from './incident-severity';

/** A round, as the state machine remembers it. */
export interface RoundRef {
  roundId: string;
  /** Epoch ms. */
  scheduledAt: number;
}

/** Whether a decided round is worth an incident (`unhealthy`) or not (`healthy`). */
export type RoundHealth = 'healthy' | 'unhealthy';

/** How many consecutive decided rounds had the same health, since which round. */
export interface HealthStreak {
  health: RoundHealth;
  rounds: number;
  since: RoundRef;
}

/** How many consecutive decided rounds had exactly the same classification and affected regions. */
export interface ClassificationStreak {
  classification: DecidedClassification;
  affectedRegions: string[];
  rounds: number;
  since: RoundRef;
}

/** The incident currently open for a monitor. */
export interface OpenIncident {
  /** `inc_<monitorId>_<openedAt>`. */
  id: string;
  classification: IncidentClassification;
  severity: IncidentSeverity;
  affectedRegions: string[];
  /** Epoch ms: the first round of the streak that opened it (when the trouble was first seen). */
  startedAt: number;
  /** Epoch ms: the round that confirmed it. */
  openedAt: number;
  openedRoundId: string;
  /** Epoch ms: the round of the last open or update. */
  updatedAt: number;
  /** The reason of the round of the last open or update. */
  reason: string;
}

/** Whether a region has been silent, since when it is reported blind, and how long it has been in trouble. */
export interface RegionWatch {
  /** Consecutive rounds without a usable answer. */
  missingRounds: number;
  /** The round at which `region.blind` was reported; `null` while not reported blind. */
  blindSince: RoundRef | null;
  /**
   * Consecutive decided, incident-worthy rounds in which the region was among the affected ones
   * (`unknown` rounds neither count nor break it): drives per-region damping. Absent in states
   * stored before it existed, and read as 0.
   */
  affectedRounds?: number;
}

/**
 * Everything the incident state machine remembers about one monitor between rounds. Plain,
 * JSON-safe data: the coordinator stores it as is and applies `advanceIncident` atomically.
 */
export interface MonitorIncidentState {
  version: 1;
  monitorId: string;
  /** The latest round applied; older or equal rounds are ignored. */
  lastRound: RoundRef | null;
  /** Health streak over decided rounds (`unknown` rounds skipped): drives opening and resolving. */
  health: HealthStreak | null;
  /** Exact-shape streak over decided rounds: drives the damping of updates. */
  candidate: ClassificationStreak | null;
  incident: OpenIncident | null;
  /** Per expected region. */
  regions: Record<string, RegionWatch>;
  /**
   * Set while the latest applied round fell in a maintenance window (see `holdForMaintenance`);
   * absent or `null` otherwise (states stored before maintenance existed have none).
   */
  maintenance?: MaintenanceMark | null;
}

/** The maintenance window a monitor's rounds have been in, since which round. */
export interface MaintenanceMark {
  windowId: string;
  /** Epoch ms: the first round of the stretch in maintenance. */
  since: number;
  reason: string;
}

/** The state of a monitor that has seen no round yet. */
export function initialIncidentState(monitorId: string): MonitorIncidentState {
  return { version: 1, monitorId, lastRound: null, health: null, candidate: null, incident: null, regions: {} };
}
