import { MONITOR_ID_PATTERN } from '@crosscheck/contract';
import { timeOrderedId } from '../core/time-ordered-id';

/**
 * A new monitor id: `mon_`, 10 characters of creation time (ms) and 10 random ones (50 bits).
 * Time-ordered ids let the monitor list page with a plain "after this id" cursor.
 */
export function newMonitorId(now: number): string {
  return timeOrderedId('mon', now);
}

/** Whether `value` has the shape of a monitor id (anything else cannot name a monitor: 404). */
export function isMonitorId(value: string): boolean {
  return MONITOR_ID_PATTERN.test(value);
}
