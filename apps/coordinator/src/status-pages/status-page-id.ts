import { timeOrderedId } from '../core/time-ordered-id';

/** What a status page id looks like: `sp_`, 10 characters of creation time, 10 random ones. */
export const STATUS_PAGE_ID_PATTERN = /^sp_[a-z2-7]{20}$/;

/** A new page id (time-ordered, so the list pages with a plain "after this id" cursor). */
export function newStatusPageId(now: number): string {
  return timeOrderedId('sp', now);
}

/** Whether `value` can name a page at all (anything else is a 404 without asking Redis). */
export function isStatusPageId(value: string): boolean {
  return STATUS_PAGE_ID_PATTERN.test(value);
}
