import { describe, expect, it } from 'vitest';
import { defaultStatusRanges, formatStatusRanges, parseStatusEntry, statusInRanges } from './status-range';

describe('status ranges', () => {
  it.each([
    [200, { from: 200, to: 200 }],
    ['204', { from: 204, to: 204 }],
    ['2xx', { from: 200, to: 299 }],
    ['5xx', { from: 500, to: 599 }],
    ['200-204', { from: 200, to: 204 }],
  ])('parses %j', (entry, range) => {
    expect(parseStatusEntry(entry)).toEqual(range);
  });

  it.each([
    ['GET', true, '200-299'],
    ['GET', false, '200-299, 301-303, 307-308'],
    ['DELETE', true, '200, 202, 204'],
    ['OPTIONS', true, '200, 204'],
  ] as const)('%s (following redirects: %s) expects %s', (method, follow, text) => {
    expect(formatStatusRanges(defaultStatusRanges(method, follow))).toBe(text);
  });

  it.each([
    [200, true],
    [299, true],
    [300, false],
    [199, false],
  ])('%d in 2xx: %s', (status, inside) => {
    expect(statusInRanges(status, [parseStatusEntry('2xx')])).toBe(inside);
  });
});
