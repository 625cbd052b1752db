import { randomBytes } from 'node:crypto';
import { MONITOR_ID_PATTERN } from '@crosscheck/contract';

/**
 * The 32 characters of `MONITOR_ID_PATTERN` ([a-z2-7]) in ASCII order, so that ids compare
 * as strings the way their numbers compare: the time part makes ids sort by creation.
 */
const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

/**
 * A new monitor id: `mon_`, 10 characters of creation time (ms) and 10 random ones (50 bits).
 * Time-ordered ids let the monitor list page with a plain "after this id" cursor.
 */
export function newMonitorId(now: number): string {
  let time = '';
  let rest = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  const bytes = randomBytes(10);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return `mon_${time}${random}`;
}

/** Whether `value` has the shape of a monitor id (anything else cannot name a monitor: 404). */
export function isMonitorId(value: string): boolean {
  return MONITOR_ID_PATTERN.test(value);
}
