import { describe, expect, it } from 'vitest';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import { BYPASS_PARAMETER, bypassRequestOf } from './bypass-request';
import { withValidators } from './conditional-request';
import { initialRequestOf, pathOf } from './hop-request';
import { normalizeHeaders } from './response-headers';

describe('initialRequestOf', () => {
  it('lower-cases header names, lets the monitor override defaults and drops the fragment', () => {
    const request = initialRequestOf(
      compileMonitorSpec({ url: 'https://a.test/p?q=1#frag', headers: { 'User-Agent': 'mine', 'X-Token': 't' } }),
    );
    expect(request.url.href).toBe('https://a.test/p?q=1');
    expect(request.headers).toMatchObject({ 'user-agent': 'mine', 'x-token': 't', 'accept-encoding': 'gzip, deflate, br' });
    expect(Object.keys(request.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('turns credentials in the URL into Basic auth and keeps them out of the URL', () => {
    const request = initialRequestOf(compileMonitorSpec({ url: 'https://us%40er:p%3Ass@a.test/' }));
    expect(request.url.href).toBe('https://a.test/');
    expect(request.headers['authorization']).toBe(`Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
  });
});

describe('bypassRequestOf', () => {
  it.each([
    ['https://a.test/', `/?${BYPASS_PARAMETER}=abc`],
    ['https://a.test/p', `/p?${BYPASS_PARAMETER}=abc`],
    ['https://a.test/p?x=%2F&y', `/p?x=%2F&y&${BYPASS_PARAMETER}=abc`],
    ['https://a.test/p?', `/p?${BYPASS_PARAMETER}=abc`],
  ])('%s -> %s (the monitor\'s query untouched)', (url, path) => {
    const bypass = bypassRequestOf(initialRequestOf(compileMonitorSpec({ url })), 'abc');
    expect(pathOf(bypass.url)).toBe(path);
  });

  it('asks caches not to answer, is never conditional and uses a fresh token each time', () => {
    const base = withValidators(initialRequestOf(compileMonitorSpec({ url: 'https://a.test/' })), { etag: '"x"' }).request;
    const bypass = bypassRequestOf(base);
    expect(bypass.headers).toMatchObject({ 'cache-control': 'no-cache', pragma: 'no-cache' });
    expect(bypass.headers['if-none-match']).toBeUndefined();
    expect(bypassRequestOf(base).url.href).not.toBe(bypass.url.href);
  });
});

describe('withValidators', () => {
  const request = initialRequestOf(compileMonitorSpec({ url: 'https://a.test/' }));
  it.each([
    { previous: undefined, conditional: undefined },
    { previous: {}, conditional: undefined },
    { previous: { etag: '  ' }, conditional: undefined },
    { previous: { etag: 'W/"1"' }, conditional: { ifNoneMatch: 'W/"1"' } },
    { previous: { lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' }, conditional: { ifModifiedSince: 'Wed, 21 Oct 2015 07:28:00 GMT' } },
  ])('$previous -> $conditional', ({ previous, conditional }) => {
    const result = withValidators(request, previous);
    expect(result.conditional).toEqual(conditional);
    expect(result.request.headers['if-none-match']).toBe(conditional?.ifNoneMatch);
    expect(result.request.headers['if-modified-since']).toBe(conditional?.ifModifiedSince);
  });
});

describe('normalizeHeaders', () => {
  it('joins repeated headers with ", " and set-cookie with a newline', () => {
    expect(
      normalizeHeaders({ 'X-A': ['1', '2'], 'set-cookie': ['a=1; Expires=Wed, 21 Oct 2037', 'b=2'], single: 'v', gone: undefined }),
    ).toEqual({ 'x-a': '1, 2', 'set-cookie': 'a=1; Expires=Wed, 21 Oct 2037\nb=2', single: 'v' });
  });
});
