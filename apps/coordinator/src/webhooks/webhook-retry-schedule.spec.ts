import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, parseCoordinatorConfig } from '../config/coordinator-config';
import { parseRetryAfter, RETRY_AFTER_CAP_MS, RETRY_JITTER, retryDelay } from './webhook-retry-schedule';

const HOUR = 3_600_000;

describe('the retry schedule', () => {
  it('is the Standard Webhooks one by default, spanning more than a day', () => {
    const config = parseCoordinatorConfig({ REDIS_URL: 'redis://127.0.0.1:6379', API_TOKEN: 'a-token-of-16-chars', SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(config.webhookRetryScheduleMs).toEqual(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS);
    expect(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS).toEqual([0, 5_000, 5 * 60_000, 30 * 60_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    const span = DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS.reduce((sum, step) => sum + step, 0);
    // 27 h 35 min 5 s: a receiver down overnight still gets the event (the old budget was 30-60 min).
    expect(span).toBe(27 * HOUR + 35 * 60_000 + 5_000);
    expect(span).toBeGreaterThan(24 * HOUR);
  });

  it.each([
    { attemptsMade: 1, random: 0, expected: 5_000 },
    { attemptsMade: 1, random: 1, expected: 5_500 },
    { attemptsMade: 2, random: 0, expected: 300_000 },
    { attemptsMade: 3, random: 0.5, expected: 1_890_000 },
    { attemptsMade: 6, random: 0, expected: 10 * HOUR },
    { attemptsMade: 7, random: 1, expected: 11 * HOUR },
    // Past the end (a job added under a longer schedule): the last step again.
    { attemptsMade: 12, random: 0, expected: 10 * HOUR },
  ])('waits $expected ms after $attemptsMade failed attempts (random $random)', ({ attemptsMade, random, expected }) => {
    expect(retryDelay(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, attemptsMade, null, () => random)).toBe(expected);
  });

  it('never waits less than the schedule says, and at most 10% more', () => {
    for (let attemptsMade = 1; attemptsMade < DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS.length; attemptsMade++) {
      const step = DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS[attemptsMade]!;
      for (let i = 0; i < 50; i++) {
        const delay = retryDelay(DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, attemptsMade);
        expect(delay).toBeGreaterThanOrEqual(step);
        expect(delay).toBeLessThanOrEqual(Math.round(step * (1 + RETRY_JITTER)));
      }
    }
  });

  it('waits as long as a Retry-After asks when that is longer, up to an hour', () => {
    expect(retryDelay([0, 5_000], 1, 60_000, () => 0)).toBe(60_000);
    expect(retryDelay([0, 5_000], 1, 1_000, () => 0)).toBe(5_000);
    expect(retryDelay([0, 5_000], 1, 86_400_000, () => 0)).toBe(RETRY_AFTER_CAP_MS);
    expect(retryDelay([0, 10 * HOUR], 1, 2 * HOUR, () => 0)).toBe(10 * HOUR);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T09:00:00Z');
  it.each([
    { value: undefined, expected: null },
    { value: '120', expected: 120_000 },
    { value: ' 0 ', expected: 0 },
    { value: 'Wed, 25 Nov 2026 09:00:30 GMT', expected: 30_000 },
    { value: 'Wed, 25 Nov 2026 08:00:00 GMT', expected: 0 },
    { value: 'soon', expected: null },
    { value: '-5', expected: null },
  ])('$value → $expected', ({ value, expected }) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
