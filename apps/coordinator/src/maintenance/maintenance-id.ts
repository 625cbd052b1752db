import { timeOrderedId } from '../core/time-ordered-id';

/** What a maintenance window id looks like: `mw_`, 10 characters of creation time, 10 random ones. */
export const MAINTENANCE_ID_PATTERN = /^mw_[a-z2-7]{20}$/;

/** A new window id (time-ordered, so the list pages with a plain "after this id" cursor). */
export function newMaintenanceId(now: number): string {
  return timeOrderedId('mw', now);
}

/** Whether `value` can name a window at all (anything else is a 404 without asking Redis). */
export function isMaintenanceId(value: string): boolean {
  return MAINTENANCE_ID_PATTERN.test(value);
}
