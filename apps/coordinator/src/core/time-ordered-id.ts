import { randomBytes } from 'node:crypto';

/** Base-32 alphabet in ASCII order, so ids compare as strings the way their creation times do. */
const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * `<prefix>_` + 10 characters of creation time (ms) + 10 random ones (50 bits), all of `[a-z2-7]`.
 * Time-ordered, so a list pages with a plain "after this id" cursor.
 */
export function timeOrderedId(prefix: string, now: number): string {
  let time = '';
  let rest = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  let random = '';
  for (const byte of randomBytes(10)) random += ALPHABET[byte % 32];
  return `${prefix}_${time}${random}`;
}
