import { describe, expect, it } from 'vitest';
import { parseCliArguments, parseDuration, parseJsonAssertion, UsageError } from './cli-arguments';

describe('parseCliArguments', () => {
  it('turns every option into the spec a user would write', () => {
    const { spec, json } = parseCliArguments([
      'https://api.example.com/health',
      '-X', 'post',
      '-H', 'Authorization: Bearer t0ken',
      '-H', 'X-Trace:1',
      '-d', '{"ping":1}',
      '--timeout', '2.5s',
      '--resolve', 'api.example.com:443:127.0.0.2',
      '--max-redirects', '2',
      '--no-bypass',
      '--insecure',
      '--status', '200,2xx', '--status', '418',
      '--contains', 'ok',
      '--not-matches', '(?i)error',
      '--json-path', '$.status == "ok"',
      '--degraded-ms', '500',
      '--down-ms', '2000',
      '--max-age', '600',
      '--no-detector', 'cache',
      '--json',
    ]);
    expect(json).toBe(true);
    expect(spec).toEqual({
      url: 'https://api.example.com/health',
      method: 'post',
      headers: { Authorization: 'Bearer t0ken', 'X-Trace': '1' },
      body: '{"ping":1}',
      timeoutMs: 2500,
      resolve: ['api.example.com:443:127.0.0.2'],
      maxRedirects: 2,
      cacheBypass: false,
      tls: { verify: false },
      expect: {
        status: [200, '2xx', 418],
        body: { contains: ['ok'], notMatches: ['(?i)error'] },
        json: [{ path: '$.status', op: 'equals', value: 'ok' }],
        latency: { degradedMs: 500, downMs: 2000 },
        maxContentAgeSeconds: 600,
      },
      detectors: { cache: false },
    });
  });

  it.each([
    [[], 'a URL to check is required'],
    [['http://a', 'http://b'], 'one URL at a time'],
    [['http://a', '--bogus'], "Unknown option '--bogus'"],
    [['http://a', '-H', 'no colon'], '"Name: value"'],
    [['http://a', '--timeout', 'soon'], '--timeout "soon" must be a duration'],
    [['http://a', '--max-redirects', 'two'], '--max-redirects "two" must be a whole number'],
    [['http://a', '--no-detector', 'magic'], 'unknown detector "magic"'],
    [['http://a', '--json-path', 'status is ok'], '--json-path "status is ok" must be'],
  ])('rejects %j with a message naming the problem', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(UsageError);
    expect(() => parseCliArguments(argv)).toThrow(message);
  });
});

describe('parseJsonAssertion', () => {
  it.each([
    ['$.status == "ok"', { path: '$.status', op: 'equals', value: 'ok' }],
    ['$.status==ok', { path: '$.status', op: 'equals', value: 'ok' }],
    ['$.checks.db.up != false', { path: '$.checks.db.up', op: 'notEquals', value: false }],
    ['$.items[0].count >= 1', { path: '$.items[0].count', op: 'gte', value: 1 }],
    ['$.lag < 5', { path: '$.lag', op: 'lt', value: 5 }],
    ['$.version ~= "^2\\."', { path: '$.version', op: 'matches', value: '^2\\.' }],
    ['$.error absent', { path: '$.error', op: 'absent' }],
    ['$.uptime exists', { path: '$.uptime', op: 'exists' }],
  ])('%s', (text, expected) => {
    expect(parseJsonAssertion(text)).toEqual(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['2500ms', 2500],
    ['2500', 2500],
    ['1.5s', 1500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });
});
