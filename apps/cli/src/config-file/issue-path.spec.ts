import { describe, expect, it } from 'vitest';
import { formatIssuePath, resolveDottedPath } from './issue-path';

describe('formatIssuePath', () => {
  it.each([
    [['monitors', 2, 'expect', 'json', 0, 'path'], 'monitors[2].expect.json[0].path'],
    [['monitors', 0, 'headers', 'X-Api-Key'], 'monitors[0].headers.X-Api-Key'],
    [['monitors', 0, 'headers', 'x.odd name'], 'monitors[0].headers["x.odd name"]'],
    [[], ''],
  ])('%j -> %s', (path, text) => {
    expect(formatIssuePath(path)).toBe(text);
  });
});

describe('resolveDottedPath', () => {
  const monitor = { expect: { json: [{ path: 'status' }] }, headers: { 'X.Trace.Id': '1' }, regions: ['a', 'b'] };
  it.each([
    ['expect.json.0.path', ['expect', 'json', 0, 'path']],
    ['headers.X.Trace.Id', ['headers', 'X.Trace.Id']],
    ['regions.1', ['regions', 1]],
    ['intervalSeconds', ['intervalSeconds']],
    ['', []],
  ])('%s', (dotted, path) => {
    expect(resolveDottedPath(monitor, dotted)).toEqual(path);
  });
});
