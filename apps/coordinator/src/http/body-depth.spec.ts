import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './body-depth';

describe('nestsDeeperThan', () => {
  const nested = (depth: number, make: (inner: unknown) => unknown): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = make(value);
    return value;
  };

  it.each([
    { name: 'a scalar', value: 'x', max: 0, deeper: false },
    { name: 'an empty object at the limit', value: {}, max: 1, deeper: false },
    { name: 'an empty object over a limit of 0', value: {}, max: 0, deeper: true },
    { name: '3 levels of arrays, limit 3', value: [[[1]]], max: 3, deeper: false },
    { name: '3 levels of arrays, limit 2', value: [[[1]]], max: 2, deeper: true },
    { name: 'mixed, deepest branch counts', value: { a: 1, b: [{ c: {} }] }, max: 3, deeper: true },
    { name: 'mixed, within', value: { a: 1, b: [{ c: {} }] }, max: 4, deeper: false },
    { name: 'null is not a level', value: { a: null }, max: 1, deeper: false },
  ])('$name', ({ value, max, deeper }) => {
    expect(nestsDeeperThan(value, max)).toBe(deeper);
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(1_000_000, (inner) => ({ a: inner })), 64)).toBe(true);
    expect(nestsDeeperThan(nested(64, (inner) => [inner]), 64)).toBe(false);
  });
});
