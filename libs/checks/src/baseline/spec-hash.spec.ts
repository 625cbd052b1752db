import { describe, expect, it } from 'vitest';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import { canonicalJson, specHashOf } from './spec-hash';

describe('specHashOf: the spec fields that decide the answer', () => {
  const base = { url: 'https://api.example.com/health', headers: { Accept: 'application/json', 'X-Tenant': 'a' }, expect: { status: [200], json: [{ path: '$.status', value: 'ok' }] } };

  it('is stable over key order, at every depth', () => {
    const reordered = { expect: { json: [{ value: 'ok', path: '$.status' }], status: [200] }, headers: { 'X-Tenant': 'a', Accept: 'application/json' }, url: base.url };
    expect(specHashOf(reordered)).toBe(specHashOf(base));
    expect(specHashOf(base)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes the spec as written, with defaults, and compiled alike', () => {
    const compiled = compileMonitorSpec(base);
    expect(specHashOf({ ...base, method: 'GET' })).toBe(specHashOf(base));
    expect(specHashOf({ url: compiled.url, method: compiled.method, headers: compiled.headers, body: compiled.body, expect: compiled.expect })).toBe(specHashOf(base));
  });

  it.each([
    ['the timeout', { timeoutMs: 2000 }],
    ['the detectors', { detectors: { cache: false } }],
    ['the baseline settings', { baseline: { learnRounds: 5 } }],
    ['an interval the coordinator keeps beside the spec', { intervalSeconds: 30 }],
  ])('ignores %s', (_name, extra) => {
    expect(specHashOf({ ...base, ...extra })).toBe(specHashOf(base));
  });

  it.each([
    ['the URL', { url: 'https://api.example.com/ready' }],
    ['the method', { method: 'POST', body: '{}' }],
    ['a header', { headers: { Accept: 'text/html', 'X-Tenant': 'a' } }],
    ['an expectation', { expect: { status: [200, 204] } }],
  ])('changes with %s', (_name, change) => {
    expect(specHashOf({ ...base, ...change })).not.toBe(specHashOf(base));
  });

  it('canonicalJson sorts keys and drops undefined ones', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }], e: null })).toBe('{"a":[{"d":2}],"b":1,"e":null}');
  });
});
