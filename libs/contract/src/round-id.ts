/**
 * Ids derived from what they identify, so a retried or replicated producer makes the same id and
 * BullMQ's job-id uniqueness turns the duplicate into a no-op. BullMQ forbids `:` in custom ids.
 */

/** `<monitorId>-<scheduledAt epoch ms>`: one round per monitor per scheduled moment. */
export function roundIdFor(monitorId: string, scheduledAt: number): string {
  return `${monitorId}-${scheduledAt}`;
}

/** `<roundId>-<region>`: one check per round per region. */
export function checkJobIdFor(roundId: string, region: string): string {
  return `${roundId}-${region}`;
}

/** Monitor ids: `mon_` and 20 lower-case base-32 characters, safe in keys, ids and URLs. */
export const MONITOR_ID_PATTERN = /^mon_[a-z2-7]{20}$/;
