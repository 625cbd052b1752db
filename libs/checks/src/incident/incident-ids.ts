/**
 * Deterministic identifiers, so that retries and coordinator replicas applying the same round name
 * the same incident, the same event and the same transition.
 */

/** `inc_<monitorId>_<scheduledAt of the round that opened it>`. */
export function incidentIdFor(monitorId: string, openedAt: number): string {
  return `inc_${monitorId}_${openedAt}`;
}

/**
 * `evt_<monitorId>_<scheduledAt>_<type>[_<region>]`: one event per type (and region) per round.
 * Stable across retries, so it can serve as the Standard Webhooks `webhook-id`.
 */
export function eventIdFor(monitorId: string, scheduledAt: number, type: string, region?: string): string {
  return `evt_${monitorId}_${scheduledAt}_${type}${region === undefined ? '' : `_${region}`}`;
}

/**
 * The key under which the coordinator records that a monitor's round was applied to its incident
 * state (e.g. a `SET NX` in the same atomic step as the state write), so each round is applied once.
 */
export function transitionKey(monitorId: string, roundId: string): string {
  return `incident-transition:${monitorId}:${roundId}`;
}
