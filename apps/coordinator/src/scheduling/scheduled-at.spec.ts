import { describe, expect, it } from 'vitest';
import { scheduledAtOf } from './scheduled-at';

describe('scheduledAtOf', () => {
  it.each([
    { id: 'repeat:mon_a:1795598126128', key: 'mon_a', expected: 1795598126128 },
    { id: 'repeat:mon_a:1795598126128', key: 'mon_b', expected: null },
    { id: 'repeat:mon_a:', key: 'mon_a', expected: null },
    { id: 'repeat:mon_a:12x', key: 'mon_a', expected: null },
    { id: '42', key: 'mon_a', expected: null },
    { id: 'repeat:mon_a:0', key: 'mon_a', expected: null },
    { id: undefined, key: 'mon_a', expected: null },
    { id: 'repeat:mon_a:1', key: undefined, expected: null },
  ])('reads $id of scheduler $key as $expected', ({ id, key, expected }) => {
    expect(scheduledAtOf({ id, repeatJobKey: key })).toBe(expected);
  });
});
