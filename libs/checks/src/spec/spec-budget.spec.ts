import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../probe/__fixtures__/test-servers';
import { compileMonitorSpec, MonitorSpecError } from './compile-monitor-spec';
import { compileRegexWithinBudget, estimateRegexProgramSize, RegexBudgetError } from './regex-budget';
import {
  MAX_ASSERTED_BODY_BYTES,
  MAX_BODY_ASSERTIONS,
  MAX_BODY_BYTES,
  MAX_HEADER_ASSERTIONS,
  MAX_JSON_ASSERTIONS,
  MAX_MONITOR_JSON_BYTES,
  MAX_ONE_OF_VALUES,
  MAX_PATTERN_LENGTH,
  MAX_REGEX_PROGRAM_SIZE,
  MAX_REQUEST_BODY_BYTES,
  MAX_REQUEST_HEADERS,
  MAX_REQUEST_HEADERS_BYTES,
  MAX_SPEC_REGEX_PROGRAM_SIZE,
  MAX_STATUS_ENTRIES,
  MAX_TIMEOUT_MS,
  MAX_TLS_CA_BYTES,
} from './spec-limits';
import { readCaCertificates } from './tls-ca';

const url = 'https://x.example/';
const times = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    compileMonitorSpec(input);
  } catch (error) {
    if (error instanceof MonitorSpecError) return error.issues;
    throw error;
  }
  return [];
}

describe('the cost budget of a spec: each cap is a clear error naming the field', () => {
  it.each([
    ['body assertions together', { expect: { body: { contains: times(20, (i) => `a${i}`), matches: times(MAX_BODY_ASSERTIONS - 19, (i) => `b${i}`) } } }, 'expect.body'],
    ['one body list', { expect: { body: { notContains: times(MAX_BODY_ASSERTIONS + 1, (i) => `a${i}`) } } }, 'expect.body.notContains'],
    ['JSON assertions', { expect: { json: times(MAX_JSON_ASSERTIONS + 1, (i) => ({ path: `$.a${i}`, op: 'exists' })) } }, 'expect.json'],
    ['header assertions', { expect: { headers: times(MAX_HEADER_ASSERTIONS + 1, (i) => ({ name: `x-${i}` })) } }, 'expect.headers'],
    ['status entries', { expect: { status: times(MAX_STATUS_ENTRIES + 1, () => 200) } }, 'expect.status'],
    ['oneOf values', { expect: { json: [{ path: '$.a', op: 'oneOf', value: times(MAX_ONE_OF_VALUES + 1, (i) => i) }] } }, 'expect.json.0.value'],
    ['a regular expression', { expect: { body: { matches: ['a'.repeat(MAX_PATTERN_LENGTH + 1)] } } }, 'expect.body.matches.0'],
    ['a JSON path', { expect: { json: [{ path: `$.${'a'.repeat(MAX_PATTERN_LENGTH)}`, op: 'exists' }] } }, 'expect.json.0.path'],
    ['a JSON value', { expect: { json: [{ path: '$.a', value: 'v'.repeat(MAX_PATTERN_LENGTH + 1) }] } }, 'expect.json.0.value'],
    ['a text to find', { expect: { body: { contains: ['c'.repeat(MAX_PATTERN_LENGTH + 1)] } } }, 'expect.body.contains.0'],
    ['a header assertion value', { expect: { headers: [{ name: 'x', op: 'equals', value: 'v'.repeat(MAX_PATTERN_LENGTH + 1) }] } }, 'expect.headers.0.value'],
    ['request headers count', { headers: Object.fromEntries(times(MAX_REQUEST_HEADERS + 1, (i) => [`x-h${i}`, 'v'])) }, 'headers'],
    ['request headers size', { headers: Object.fromEntries(times(3, (i) => [`x-h${i}`, 'v'.repeat(MAX_REQUEST_HEADERS_BYTES / 3)])) }, 'headers'],
    ['request body', { method: 'POST', body: 'b'.repeat(MAX_REQUEST_BODY_BYTES + 1) }, 'body'],
    ['timeoutMs', { timeoutMs: MAX_TIMEOUT_MS + 1 }, 'timeoutMs'],
    ['maxBodyBytes', { maxBodyBytes: MAX_BODY_BYTES + 1 }, 'maxBodyBytes'],
    ['maxBodyBytes with body assertions', { maxBodyBytes: MAX_ASSERTED_BODY_BYTES + 1, expect: { body: { contains: ['ok'] } } }, 'maxBodyBytes'],
    ['maxBodyBytes with JSON assertions', { maxBodyBytes: MAX_BODY_BYTES, expect: { json: [{ path: '$.ok', value: true }] } }, 'maxBodyBytes'],
    ['tls.ca size', { tls: { ca: 'x'.repeat(MAX_TLS_CA_BYTES + 1) } }, 'tls.ca'],
  ])('%s', (_name, input, path) => {
    const issues = issuesOf({ url, ...input });
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(issues.find((issue) => issue.path === path)?.message).toMatch(/\d/);
  });

  it('takes a spec at every count cap', () => {
    const spec = compileMonitorSpec({
      url,
      headers: Object.fromEntries(times(MAX_REQUEST_HEADERS, (i) => [`x-h${i}`, 'v'])),
      expect: {
        body: { contains: times(16, (i) => `c${i}`), matches: times(16, (i) => `m${i}[a-z]+`) },
        json: times(MAX_JSON_ASSERTIONS, (i) => ({ path: `$.a${i}`, op: 'exists' })),
        headers: times(MAX_HEADER_ASSERTIONS, (i) => ({ name: `x-${i}` })),
      },
    });
    expect(spec.expectations).toHaveLength(2 + 32 + MAX_JSON_ASSERTIONS + MAX_HEADER_ASSERTIONS);
    expect(spec.bodyPatterns).not.toBeNull();
  });

  it('lets a monitor without body or JSON assertions read up to maxBodyBytes for its detectors', () => {
    expect(compileMonitorSpec({ url, maxBodyBytes: MAX_BODY_BYTES, expect: { headers: [{ name: 'server' }] } }).maxBodyBytes).toBe(MAX_BODY_BYTES);
  });

  it('refuses a spec over MAX_MONITOR_JSON_BYTES before reading it, at the root', () => {
    const issues = issuesOf({ url, headers: { 'x-pad': 'p'.repeat(MAX_MONITOR_JSON_BYTES) } });
    expect(issues).toEqual([{ path: '', message: expect.stringContaining(String(MAX_MONITOR_JSON_BYTES)) }]);
  });
});

describe('header values as HTTP allows them', () => {
  it.each([
    ['CR LF', 'a\r\nInjected: yes'],
    ['NUL', 'a\0b'],
    ['a control character', 'a\u0001b'],
    ['DEL', 'a\u007fb'],
    ['a vertical tab', 'a\u000bb'],
    ['a character outside Latin-1', 'price: €5'],
    ['an emoji', 'ok 👍'],
  ])('refuses %s', (_name, value) => {
    expect(issuesOf({ url, headers: { 'X-Trace': value } }).map((issue) => issue.path)).toEqual(['headers.X-Trace']);
  });

  it.each([['tabs and spaces', 'a\tb c'], ['Latin-1 text', 'café naïve'], ['visible ASCII', 'Bearer abc.DEF-123_~+/=']])('takes %s', (_name, value) => {
    expect(issuesOf({ url, headers: { 'X-Trace': value } })).toEqual([]);
  });
});

describe('tls.ca is parsed when the spec is written', () => {
  it.each([
    ['no PEM block at all', 'just text', /no PEM certificate/],
    ['a block that is not a certificate', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n', /certificate 1 is not valid/],
  ])('refuses %s, naming tls.ca', (_name, ca, message) => {
    const issues = issuesOf({ url, tls: { ca } });
    expect(issues.map((issue) => issue.path)).toEqual(['tls.ca']);
    expect(issues[0]?.message).toMatch(message);
  });

  it('names the certificate of a bundle that is not valid', () => {
    const good = validPem();
    expect(() => readCaCertificates(`${good}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`)).toThrow(/certificate 2 is not valid/);
  });

  it('takes a valid bundle', () => {
    const good = validPem();
    expect(readCaCertificates(`${good}\n${good}`)).toHaveLength(2);
    expect(issuesOf({ url, tls: { ca: good } })).toEqual([]);
  });
});

describe('regular expressions within a program-size budget', () => {
  it.each([
    ['a', 3],
    ['abc|def', 9],
    ['[a-z]{1,1000}', 2_001],
    ['(?i)\\pL{1,100}', 201],
    ['((a|b|c){1,10}){1,10}', 421],
    ['[a-z]{1,1000}'.repeat(39), 77_963],
    ['.{1,1000}'.repeat(50), 99_952],
    ['(?:x{0,100}[a-z]){0,10}', 2_022],
  ])('estimates %s close to or above its compiled size', (source, compiled) => {
    const estimate = estimateRegexProgramSize(source);
    // Within a factor of two either way is what the refusal before compiling relies on.
    expect(estimate).toBeGreaterThanOrEqual(compiled / 2);
    expect(estimate).toBeLessThanOrEqual(compiled * 2 + 8);
  });

  it('refuses one expression over MAX_REGEX_PROGRAM_SIZE, unseen when clearly over', () => {
    expect(() => compileRegexWithinBudget('[a-z]{1,1000}'.repeat(39), MAX_SPEC_REGEX_PROGRAM_SIZE)).toThrow(RegexBudgetError);
    expect(() => compileRegexWithinBudget('[a-z]{1,1000}[a-z]{1,500}', MAX_SPEC_REGEX_PROGRAM_SIZE)).toThrow(new RegExp(String(MAX_REGEX_PROGRAM_SIZE)));
    expect(compileRegexWithinBudget('[a-z]{1,500}', MAX_SPEC_REGEX_PROGRAM_SIZE).size).toBeLessThanOrEqual(MAX_REGEX_PROGRAM_SIZE);
  });

  it('refuses the expressions past the spec budget, naming each, without compiling them', () => {
    // Each ~1,200 instructions: 9 fit under the spec budget of 12,000, the rest do not.
    const matches = times(MAX_BODY_ASSERTIONS, (i) => `x${i}[a-z]{1,600}`);
    const issues = issuesOf({ url, expect: { body: { matches } } });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => /^expect\.body\.matches\.\d+$/.test(issue.path) && /budget|allowed/.test(issue.message))).toBe(true);
    expect(Number(issues[0]?.path.split('.').pop())).toBeGreaterThan(5);
  });

  it('names a syntax error as before', () => {
    expect(issuesOf({ url, expect: { body: { matches: ['(('] } } })[0]?.message).toMatch(/invalid regular expression/);
  });
});

describe('body expressions in one set', () => {
  const sources = ['(?i)error', '^<html>', 'ok$', '\\bfoo\\b', 'a.c', '(?s)a.c', '[0-9]{3}-[0-9]{4}', 'é+', '\\pL\\d'];
  const bodies = ['<html>ok', 'ERROR here', 'a\nc', 'abc foo bar', 'call 555-1234 now', 'café', 'x9', '', 'foobar'];

  it.each(bodies)('matches %j exactly as each expression alone would', (body) => {
    const spec = compileMonitorSpec({ url, expect: { body: { matches: sources } } });
    const matched = new Set(spec.bodyPatterns?.match(body));
    sources.forEach((source, index) => expect(matched.has(index), source).toBe(RE2JS.compile(source).test(body)));
  });
});

function validPem(): string {
  return selfSigned;
}

const selfSigned = selfSignedCertificate('crosscheck-test-ca', ['DNS:ca.test']).cert.trim();
