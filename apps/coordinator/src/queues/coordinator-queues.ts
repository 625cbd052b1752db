/**
 * The coordinator's own BullMQ queues (prefix `COORDINATOR_PREFIX`, `cc:c`), and their jobs typed
 * by name.
 */

/** One job scheduler per monitor (scheduler id = monitor id) produces a `round` job per interval. */
export const ROUNDS_QUEUE = 'rounds';
export const ROUND_JOB_NAME = 'round';
export interface RoundJobData {
  monitorId: string;
}

/** One delayed `finalize` job per round, due at the round's deadline. */
export const ROUND_DEADLINES_QUEUE = 'round-deadlines';
export const FINALIZE_JOB_NAME = 'finalize';
export interface FinalizeJobData {
  monitorId: string;
  roundId: string;
}

/** Job id of a round's deadline job: one per round, however many coordinators start it. */
export function finalizeJobIdFor(roundId: string): string {
  return `finalize-${roundId}`;
}
