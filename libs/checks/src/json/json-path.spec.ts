import { describe, expect, it } from 'vitest';
import { JsonPathSyntaxError, lookupJsonPath, parseJsonPath } from './json-path';

const document = { status: 'ok', checks: { 'db:main': { up: true } }, items: [{ n: 1 }, { n: 2 }], 'odd key': null };

describe('JSON paths', () => {
  it.each([
    ['$', document],
    ['$.status', 'ok'],
    ["$.checks['db:main'].up", true],
    ['$.checks["db:main"].up', true],
    ['$.items[0].n', 1],
    ['$.items[-1].n', 2],
    ["$['odd key']", null],
  ])('%s finds %j', (path, value) => {
    expect(lookupJsonPath(document, parseJsonPath(path))).toEqual({ found: true, value });
  });

  it.each(['$.missing', '$.items[5]', '$.status.deeper', '$.items.n', '$.checks[0]'])('%s is not found', (path) => {
    expect(lookupJsonPath(document, parseJsonPath(path))).toEqual({ found: false });
  });

  it('does not find inherited properties', () => {
    expect(lookupJsonPath({}, parseJsonPath('$.constructor'))).toEqual({ found: false });
  });

  it.each([
    ['status', 1],
    ['$.', 3],
    ['$.a[', 4],
    ['$.a[x]', 5],
    ['$..a', 3],
  ])('%s is a syntax error at character %d', (path, position) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathSyntaxError);
    expect(() => parseJsonPath(path)).toThrow(`at character ${position}`);
  });
});
