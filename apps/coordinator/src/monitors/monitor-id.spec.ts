import { MONITOR_ID_PATTERN } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { isMonitorId, newMonitorId } from './monitor-id';

describe('newMonitorId', () => {
  it('matches the contract pattern', () => {
    for (let i = 0; i < 100; i++) expect(newMonitorId(Date.now())).toMatch(MONITOR_ID_PATTERN);
  });

  it('sorts by creation time as a string', () => {
    const times = [0, 1, 31, 32, 1_000, 1_700_000_000_000, 1_700_000_000_001, 4_102_444_800_000];
    const ids = times.map((time) => newMonitorId(time));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs for the same millisecond', () => {
    const now = Date.now();
    expect(new Set(Array.from({ length: 1_000 }, () => newMonitorId(now))).size).toBe(1_000);
  });

  it.each([
    ['mon_23occztz6hxj2cl5i2n2', true],
    ['mon_23occztz6hxj2cl5i2n', false],
    ['mon_23OCCZTZ6HXJ2CL5I2N2', false],
    ['mon_23occztz6hxj2cl5i2n1', false],
    ['../../etc', false],
  ])('isMonitorId(%s) is %s', (id, expected) => {
    expect(isMonitorId(id)).toBe(expected);
  });
});
