import { describe, expect, it } from 'vitest';
import { keyOf, lowerCaseKeys } from './json-object';

describe('keyOf: a key looked up in lower case', () => {
  it.each([
    ['the key as written', { status: 'ok' }, 'status', 'status'],
    ['any case', { Status: 'ok' }, 'status', 'Status'],
    ['the first written of several spellings', { STATUS: 'a', status: 'b' }, 'status', 'STATUS'],
    ['none', { state: 'ok' }, 'status', undefined],
    ['not a longer or shorter key', { statuses: 1, stat: 2 }, 'status', undefined],
    ['the Kelvin sign as k', { o\u212a: true }, 'ok', 'o\u212a'],
  ])('finds %s', (_name, object, name, expected) => {
    expect(keyOf(object, name)).toBe(expected);
    expect(keyOf(object, name)).toBe(lowerCaseKeys(object).get(name));
  });

  it('ignores inherited keys', () => {
    const object = Object.create({ status: 'inherited' }) as Record<string, unknown>;
    object['other'] = 1;
    expect(keyOf(object, 'status')).toBeUndefined();
  });
});
