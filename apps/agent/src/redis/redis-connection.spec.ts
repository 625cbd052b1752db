import { describe, expect, it } from 'vitest';
import { isConnectionError, reconnectDelay } from './redis-connection';

describe('reconnectDelay', () => {
  it('starts quick, backs off, caps at about 5 s, and never gives up', () => {
    const middle = () => 0.5;
    expect(reconnectDelay(1, middle)).toBe(200);
    expect(reconnectDelay(2, middle)).toBe(400);
    expect(reconnectDelay(6, middle)).toBe(5_000);
    for (const attempt of [10, 100, 10_000, Number.MAX_SAFE_INTEGER]) {
      const delay = reconnectDelay(attempt, middle);
      expect(delay).toBe(5_000);
    }
  });

  it('spreads agents with ±20 % jitter', () => {
    expect(reconnectDelay(20, () => 0)).toBe(4_000);
    expect(reconnectDelay(20, () => 0.999_999)).toBe(6_000);
  });
});

describe('isConnectionError', () => {
  it.each([
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }), true],
    [new Error('Connection is closed.'), true],
    [new Error("Stream isn't writeable and enableOfflineQueue options is false"), true],
    [new Error('NOPERM this user has no permissions to access one of the keys used as arguments'), false],
    [new Error('Missing lock for job 1. moveToFinished'), false],
    ['ECONNREFUSED', false],
  ])('%s -> %s', (error, expected) => {
    expect(isConnectionError(error)).toBe(expected);
  });
});
