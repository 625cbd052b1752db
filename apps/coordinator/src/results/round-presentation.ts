import type { RoundSummary } from './round';

/** A finalized round as the API shows it beside a monitor's state: its identity and times, without its reports. */
export interface PresentedRound {
  roundId: string;
  scheduledAt: string;
  deadline: string;
  finalizedAt: string;
  finalizedBy: RoundSummary['finalizedBy'];
  complete: boolean;
}

/** The round's identity and times (ISO 8601), for `…/status` and `/v1/status`; `null` before the first round. */
export function presentRound(round: RoundSummary | null): PresentedRound | null {
  if (!round) return null;
  return {
    roundId: round.roundId,
    scheduledAt: new Date(round.scheduledAt).toISOString(),
    deadline: new Date(round.deadline).toISOString(),
    finalizedAt: new Date(round.finalizedAt).toISOString(),
    finalizedBy: round.finalizedBy,
    complete: round.complete,
  };
}

/** Why a monitor's region has no report in its latest round: it was added since, or there is no round yet. */
export function missingRegionReason(round: RoundSummary | null): string {
  return round ? 'region added after the latest finalized round' : 'no round of this monitor has been finalized yet';
}
