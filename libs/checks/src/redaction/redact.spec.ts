import { describe, expect, it } from 'vitest';
import { isCredentialHeader } from './credential-header';
import { LOG_REDACTION } from './log-redaction';
import { redactDeep, redactHeaders, redactSpecSecrets, redactUrl, REDACTED } from './redact';

describe('isCredentialHeader', () => {
  it.each([
    ['Authorization', true],
    ['proxy-authorization', true],
    ['Cookie', true],
    ['Set-Cookie', true],
    ['X-Api-Key', true],
    ['X-Goog-Api-Key', true],
    ['x-apikey', true],
    ['X-Auth-Token', true],
    ['X-CSRF-Token', true],
    ['Private-Token', true],
    ['X-Client-Secret', true],
    ['X-Authentication', true],
    ['x_auth_user', true],
    ['X-DB-Password', true],
    ['Token', true],
    ['X-Credentials', true],
    ['Accept', false],
    ['User-Agent', false],
    ['X-Request-Id', false],
    ['X-Keyboard', false],
    ['X-Monkey-Business', false],
    ['X-Custom', false],
    ['Content-Type', false],
  ])('%s -> %s', (name, expected) => {
    expect(isCredentialHeader(name)).toBe(expected);
  });

  it('takes the headers the monitor marks secret, whatever their case', () => {
    expect(isCredentialHeader('X-Custom', ['x-custom'])).toBe(true);
    expect(isCredentialHeader('x-custom', ['X-CUSTOM'])).toBe(true);
    expect(isCredentialHeader('X-Other', ['X-Custom'])).toBe(false);
  });
});

describe('redactUrl', () => {
  it.each([
    ['http://user:pass@host/', 'http://***@host/'],
    ['https://token@api.example/v1?x=1', 'https://***@api.example/v1?x=1'],
    ['https://ghp_abc:x-oauth-basic@github.com/', 'https://***@github.com/'],
    ['http://:pass@host/', 'http://***@host/'],
    ['http://a@b:c@host:8080/p', 'http://***@host:8080/p'],
    ['http://u:p@[::1]:80/', 'http://***@[::1]:80/'],
    ['//u:p@cdn.example/x', '//***@cdn.example/x'],
    ['HTTPS://U:P@HOST/', 'HTTPS://***@HOST/'],
    ['redis://agent:s3cret@redis:6379', 'redis://***@redis:6379'],
    ['fetch of http://u:p@a.test/ failed; then https://v:q@b.test/x', 'fetch of http://***@a.test/ failed; then https://***@b.test/x'],
    ['http://***@host/', 'http://***@host/'],
    ['http://host/path@not-userinfo', 'http://host/path@not-userinfo'],
    ['http://host/?mail=a@b.test', 'http://host/?mail=a@b.test'],
    ['mailto:ops@example.test', 'mailto:ops@example.test'],
    ['no url here', 'no url here'],
    ['http://@host/', 'http://@host/'],
  ])('%s -> %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
    expect(redactUrl(expected)).toBe(expected);
  });
});

describe('redactHeaders', () => {
  it('redacts credential values and the monitor-marked ones, keeps the rest and every name', () => {
    expect(
      redactHeaders(
        { Authorization: 'Bearer t', 'X-Api-Key': 'k', 'X-Custom': 'c', Accept: 'application/json', location: 'https://u:p@next.test/' },
        ['x-custom'],
      ),
    ).toEqual({ Authorization: REDACTED, 'X-Api-Key': REDACTED, 'X-Custom': REDACTED, Accept: 'application/json', location: 'https://***@next.test/' });
  });

  it('keeps "__proto__" a header, never a prototype', () => {
    const shown = redactHeaders(JSON.parse('{"__proto__": "x", "cookie": "a=1"}') as Record<string, string>);
    expect(Object.getPrototypeOf(shown)).toBe(Object.prototype);
    expect(Object.keys(shown)).toEqual(['__proto__', 'cookie']);
    expect(shown['cookie']).toBe(REDACTED);
  });
});

describe('redactSpecSecrets', () => {
  it('redacts URL userinfo and secret headers only, leaving every other field as written', () => {
    const spec = {
      url: 'https://user:pass@shop.example/health',
      headers: { 'X-Api-Key': 'key', 'X-Tenant': 'acme', 'X-Custom': 'c' },
      secretHeaders: ['X-Custom'],
      expect: { body: { contains: ['//not:a@secret'] } },
    };
    expect(redactSpecSecrets(spec)).toEqual({
      url: 'https://***@shop.example/health',
      headers: { 'X-Api-Key': REDACTED, 'X-Tenant': 'acme', 'X-Custom': REDACTED },
      secretHeaders: ['X-Custom'],
      expect: { body: { contains: ['//not:a@secret'] } },
    });
    expect(spec.headers['X-Api-Key']).toBe('key');
  });
});

describe('redactDeep', () => {
  it('redacts every string and every headers object at any depth, without changing its input', () => {
    const document = {
      monitor: { url: 'http://u:p@a.test/' },
      regions: [{ causes: [{ message: 'redirect to https://x:y@login.test/ looks like a login page' }] }],
      observation: { headers: { 'set-cookie': 's=1', server: 'nginx' } },
      request: { headers: { 'X-Custom': 'c' }, secretHeaders: ['X-Custom'] },
      count: 3,
      flag: null,
    };
    expect(redactDeep(document)).toEqual({
      monitor: { url: 'http://***@a.test/' },
      regions: [{ causes: [{ message: 'redirect to https://***@login.test/ looks like a login page' }] }],
      observation: { headers: { 'set-cookie': REDACTED, server: 'nginx' } },
      request: { headers: { 'X-Custom': REDACTED }, secretHeaders: ['X-Custom'] },
      count: 3,
      flag: null,
    });
    expect(document.monitor.url).toBe('http://u:p@a.test/');
  });

  it('leaves errors, dates and other class instances to their own serializers', () => {
    const error = new Error('http://u:p@a.test/');
    const date = new Date(0);
    const redacted = redactDeep({ err: error, at: date });
    expect(redacted.err).toBe(error);
    expect(redacted.at).toBe(date);
  });

  it('stops at a cycle instead of overflowing', () => {
    const cyclic: Record<string, unknown> = { url: 'http://u:p@a.test/' };
    cyclic['self'] = cyclic;
    expect((redactDeep(cyclic) as { url: string }).url).toBe('http://***@a.test/');
  });
});

describe('LOG_REDACTION', () => {
  it('redacts records, messages and serialized errors', () => {
    expect(LOG_REDACTION.record({ spec: { url: 'http://u:p@a.test/', headers: { Authorization: 'Basic x' } } })).toEqual({
      spec: { url: 'http://***@a.test/', headers: { Authorization: REDACTED } },
    });
    expect(LOG_REDACTION.message('probing http://u:p@a.test/')).toBe('probing http://***@a.test/');
    const serialized = Object.assign(Object.create({ kind: 'pino error' }) as object, { type: 'Error', message: 'GET http://u:p@a.test/ failed', stack: 'Error: GET http://u:p@a.test/ failed\n    at x' });
    expect(LOG_REDACTION.error(serialized)).toEqual({ type: 'Error', message: 'GET http://***@a.test/ failed', stack: 'Error: GET http://***@a.test/ failed\n    at x' });
  });
});
