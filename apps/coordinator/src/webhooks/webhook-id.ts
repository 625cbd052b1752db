import { timeOrderedId } from '../core/time-ordered-id';

/**
 * What a webhook endpoint id looks like: `wh_` (made through `/v1/webhooks`) or `ch_` (through
 * `/v1/channels`: every channel is an endpoint), 10 characters of creation time, 10 random ones.
 */
export const WEBHOOK_ID_PATTERN = /^(wh|ch)_[a-z2-7]{20}$/;

/** A new endpoint id (time-ordered, so the list pages with a plain "after this id" cursor). */
export function newWebhookId(now: number): string {
  return timeOrderedId('wh', now);
}

/** A new channel id. */
export function newChannelId(now: number): string {
  return timeOrderedId('ch', now);
}

/** Whether `value` can name an endpoint at all (anything else is a 404 without asking Redis). */
export function isWebhookId(value: string): boolean {
  return WEBHOOK_ID_PATTERN.test(value);
}
