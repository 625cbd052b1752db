import { randomBytes } from 'node:crypto';

/** Base-32 alphabet in ASCII order, so ids compare as strings the way their creation times do. */
const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

/** What a webhook endpoint id looks like: `wh_`, 10 characters of creation time, 10 random ones. */
export const WEBHOOK_ID_PATTERN = /^wh_[a-z2-7]{20}$/;

/** A new endpoint id (time-ordered, so the list pages with a plain "after this id" cursor). */
export function newWebhookId(now: number): string {
  let time = '';
  let rest = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let random = '';
  for (const byte of randomBytes(10)) random += ALPHABET[byte % 32];
  return `wh_${time}${random}`;
}

/** Whether `value` can name an endpoint at all (anything else is a 404 without asking Redis). */
export function isWebhookId(value: string): boolean {
  return WEBHOOK_ID_PATTERN.test(value);
}
