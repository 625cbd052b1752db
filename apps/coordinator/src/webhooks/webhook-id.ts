import { timeOrderedId } from '../core/time-ordered-id';

/** What a webhook endpoint id looks like: `wh_`, 10 characters of creation time, 10 random ones. */
export const WEBHOOK_ID_PATTERN = /^wh_[a-z2-7]{20}$/;

/** A new endpoint id (time-ordered, so the list pages with a plain "after this id" cursor). */
export function newWebhookId(now: number): string {
  return timeOrderedId('wh', now);
}

/** Whether `value` can name an endpoint at all (anything else is a 404 without asking Redis). */
export function isWebhookId(value: string): boolean {
  return WEBHOOK_ID_PATTERN.test(value);
}
