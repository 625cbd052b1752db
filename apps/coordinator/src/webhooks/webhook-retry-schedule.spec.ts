import { describe, expect, it } from 'vitest';
import { parseRetryAfter, WEBHOOK_BACKOFF_CAP_MS, webhookBackoffDelay } from './webhook-backoff';

describe('webhookBackoffDelay', () => {
  it.each([
    { attemptsMade: 1, random: 0, expected: 500 },
    { attemptsMade: 1, random: 1, expected: 1_000 },
    { attemptsMade: 2, random: 0, expected: 1_000 },
    { attemptsMade: 2, random: 1, expected: 2_000 },
    { attemptsMade: 3, random: 0.5, expected: 3_000 },
    { attemptsMade: 10, random: 1, expected: 512_000 },
    { attemptsMade: 11, random: 1, expected: WEBHOOK_BACKOFF_CAP_MS },
    { attemptsMade: 11, random: 0, expected: WEBHOOK_BACKOFF_CAP_MS / 2 },
    { attemptsMade: 60, random: 1, expected: WEBHOOK_BACKOFF_CAP_MS },
  ])('after $attemptsMade failed attempts (random $random): $expected ms with a 1 s base', ({ attemptsMade, random, expected }) => {
    expect(webhookBackoffDelay(attemptsMade, 1_000, null, () => random)).toBe(expected);
  });

  it('stays within [step/2, step] for random draws', () => {
    for (let attemptsMade = 1; attemptsMade <= 15; attemptsMade++) {
      const step = Math.min(WEBHOOK_BACKOFF_CAP_MS, 1_000 * 2 ** (attemptsMade - 1));
      for (let i = 0; i < 50; i++) {
        const delay = webhookBackoffDelay(attemptsMade, 1_000);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
    }
  });

  it('waits as long as a Retry-After asks when that is longer, never beyond the cap', () => {
    expect(webhookBackoffDelay(1, 1_000, 30_000, () => 1)).toBe(30_000);
    expect(webhookBackoffDelay(5, 1_000, 100, () => 1)).toBe(16_000);
    expect(webhookBackoffDelay(1, 1_000, 86_400_000, () => 1)).toBe(WEBHOOK_BACKOFF_CAP_MS);
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
