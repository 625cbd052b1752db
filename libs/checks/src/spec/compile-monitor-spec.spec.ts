import { describe, expect, it } from 'vitest';
import { compileMonitorSpec, MonitorSpecError } from './compile-monitor-spec';

describe('compileMonitorSpec defaults', () => {
  it('makes a plain "is my site healthy" monitor out of a URL alone', () => {
    const spec = compileMonitorSpec({ url: 'https://example.com/' });
    expect(spec).toMatchObject({
      method: 'GET',
      headers: {},
      timeoutMs: 10_000,
      followRedirects: true,
      maxRedirects: 5,
      maxBodyBytes: 1024 * 1024,
      maxHeaderBytes: 16 * 1024,
      tls: { verify: true, expiryWarningDays: 14 },
      cacheBypass: true,
      conditional: false,
      resolve: [],
      detectors: { healthDocument: true, softError: true, errorPage: true, cache: true, authWall: true, certificate: true, operatorPage: true },
    });
    expect(spec.expectations.map((e) => e.kind)).toEqual(['status', 'latency']);
    expect(spec.expectations[0]).toEqual({ kind: 'status', explicit: false, ranges: [{ from: 200, to: 299 }] });
  });

  it.each([
    ['GET', true],
    ['HEAD', true],
    ['POST', false],
    ['DELETE', false],
  ])('%s makes a cache-bypassing request by default: %s', (method, bypass) => {
    expect(compileMonitorSpec({ url: 'https://example.com/', method }).cacheBypass).toBe(bypass);
  });

  it('accepts lower-case methods and parses resolve overrides', () => {
    const spec = compileMonitorSpec({ url: 'https://example.com/', method: 'post', body: '{}', resolve: ['Example.com:443:[::1]'] });
    expect(spec.method).toBe('POST');
    expect(spec.resolve).toEqual([{ host: 'example.com', port: 443, address: '::1' }]);
  });
});

describe('compileMonitorSpec errors name the field path', () => {
  it.each([
    [{}, 'url'],
    [{ url: 'ftp://example.com/' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'https://x/', method: 'FETCH' }, 'method'],
    [{ url: 'https://x/', timeoutMs: 5 }, 'timeoutMs'],
    [{ url: 'https://x/', maxRedirects: 50 }, 'maxRedirects'],
    [{ url: 'https://x/', headers: { 'bad name': 'v' } }, 'headers.bad name'],
    [{ url: 'https://x/', headers: { 'X-Ok': 'a\r\nInjected: yes' } }, 'headers.X-Ok'],
    [{ url: 'https://x/', headers: { 'Transfer-Encoding': 'chunked' } }, 'headers.Transfer-Encoding'],
    [{ url: 'https://x/', body: 'x' }, 'body'],
    [{ url: 'https://x/', resolve: ['example.com:443'] }, 'resolve.0'],
    [{ url: 'https://x/', resolve: ['example.com:99999:127.0.0.1'] }, 'resolve.0'],
    [{ url: 'https://x/', expect: { status: [700] } }, 'expect.status.0'],
    [{ url: 'https://x/', expect: { status: ['2xy'] } }, 'expect.status.0'],
    [{ url: 'https://x/', expect: { body: { matches: ['(unclosed'] } } }, 'expect.body.matches.0'],
    [{ url: 'https://x/', expect: { body: { notMatches: ['a**'] } } }, 'expect.body.notMatches.0'],
    [{ url: 'https://x/', expect: { json: [{ path: 'status', value: 'ok' }] } }, 'expect.json.0.path'],
    [{ url: 'https://x/', expect: { json: [{ path: '$.a[', value: 'ok' }] } }, 'expect.json.0.path'],
    [{ url: 'https://x/', expect: { json: [{ path: '$.a' }] } }, 'expect.json.0.value'],
    [{ url: 'https://x/', expect: { json: [{ path: '$.a', op: 'gt', value: 'x' }] } }, 'expect.json.0.value'],
    [{ url: 'https://x/', expect: { json: [{ path: '$.a', op: 'matches', value: '(' }] } }, 'expect.json.0.value'],
    [{ url: 'https://x/', expect: { headers: [{ name: 'x', op: 'equals' }] } }, 'expect.headers.0.value'],
    [{ url: 'https://x/', expect: { latency: { degradedMs: 500, downMs: 100 } } }, 'expect.latency.downMs'],
    [{ url: 'https://x/', detectors: { magic: true } }, 'detectors'],
    [{ url: 'https://x/', surprise: 1 }, ''],
  ])('%j -> %s', (input, path) => {
    let error: unknown;
    try {
      compileMonitorSpec(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MonitorSpecError);
    const issues = (error as MonitorSpecError).issues;
    expect(issues.map((i) => i.path)).toContain(path);
    expect((error as Error).message).toContain(path === '' ? '(root)' : path);
  });

  it('lists every problem at once, not only the first', () => {
    try {
      compileMonitorSpec({ url: 'nope', timeoutMs: 1, expect: { json: [{ path: 'x' }] } });
      expect.unreachable();
    } catch (error) {
      expect((error as MonitorSpecError).issues.map((i) => i.path)).toEqual(expect.arrayContaining(['url', 'timeoutMs', 'expect.json.0.path']));
    }
  });
});
