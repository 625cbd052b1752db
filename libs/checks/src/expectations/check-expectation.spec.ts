import { describe, expect, it } from 'vitest';
import type { MonitorSpecInput } from '../spec/monitor-spec.schema';
import { contextOf, type ObservationInput } from '../testing/observation-fixtures';
import { checkExpectation } from './check-expectation';

interface Case {
  name: string;
  spec: Partial<MonitorSpecInput>;
  seen: ObservationInput;
  /** Which expectation (by kind, first of it) to look at. */
  kind: string;
  passed: boolean | null;
  actual?: string | null;
}

const HEALTH = '{"status":"ok","version":"1.4.2","checks":{"db":{"status":"ok","latencyMs":3}},"items":[{"count":2},{"count":0}]}';
const json = { headers: { 'content-type': 'application/json' }, body: HEALTH };

const cases: Case[] = [
  // status: default 2xx semantics per method, explicit lists and ranges, 304 with conditional requests
  { name: 'GET 200 passes the default', spec: {}, seen: { status: 200 }, kind: 'status', passed: true, actual: '200' },
  { name: 'GET 204 passes the default 2xx', spec: {}, seen: { status: 204 }, kind: 'status', passed: true },
  { name: 'GET 500 fails the default', spec: {}, seen: { status: 500 }, kind: 'status', passed: false, actual: '500' },
  { name: 'GET 301 fails when redirects are followed', spec: {}, seen: { status: 301 }, kind: 'status', passed: false },
  { name: 'GET 301 passes when redirects are not followed', spec: { followRedirects: false }, seen: { status: 301 }, kind: 'status', passed: true },
  { name: 'DELETE 202 passes', spec: { method: 'DELETE' }, seen: { status: 202, method: 'DELETE' }, kind: 'status', passed: true },
  { name: 'DELETE 201 fails (not a delete answer)', spec: { method: 'DELETE' }, seen: { status: 201, method: 'DELETE' }, kind: 'status', passed: false },
  { name: 'OPTIONS 204 passes', spec: { method: 'OPTIONS' }, seen: { status: 204, method: 'OPTIONS' }, kind: 'status', passed: true },
  { name: 'explicit list 200,418', spec: { expect: { status: [200, 418] } }, seen: { status: 418 }, kind: 'status', passed: true },
  { name: 'explicit class 3xx', spec: { expect: { status: ['3xx'] } }, seen: { status: 302 }, kind: 'status', passed: true },
  { name: 'explicit range 200-204 rejects 206', spec: { expect: { status: ['200-204'] } }, seen: { status: 206 }, kind: 'status', passed: false },
  {
    name: '304 to a conditional request passes',
    spec: { conditional: true },
    seen: { status: 304, outcome: { conditional: { ifNoneMatch: '"abc"' } } },
    kind: 'status',
    passed: true,
  },
  { name: '304 without a conditional request fails', spec: {}, seen: { status: 304 }, kind: 'status', passed: false },
  // body
  { name: 'contains found', spec: { expect: { body: { contains: ['"ok"'] } } }, seen: json, kind: 'body.contains', passed: true, actual: 'found' },
  { name: 'contains missing', spec: { expect: { body: { contains: ['Welcome'] } } }, seen: json, kind: 'body.contains', passed: false, actual: 'not found' },
  { name: 'notContains absent', spec: { expect: { body: { notContains: ['Exception'] } } }, seen: json, kind: 'body.notContains', passed: true },
  { name: 'notContains present', spec: { expect: { body: { notContains: ['latencyMs'] } } }, seen: json, kind: 'body.notContains', passed: false },
  { name: 'matches', spec: { expect: { body: { matches: ['"version":"1\\.\\d+\\.\\d+"'] } } }, seen: json, kind: 'body.matches', passed: true, actual: 'matched' },
  { name: 'matches fails', spec: { expect: { body: { matches: ['^<!doctype html>'] } } }, seen: json, kind: 'body.matches', passed: false, actual: 'no match' },
  { name: 'notMatches passes', spec: { expect: { body: { notMatches: ['(?i)fatal error'] } } }, seen: json, kind: 'body.notMatches', passed: true },
  { name: 'notMatches fails, showing the match', spec: { expect: { body: { notMatches: ['"status":"\\w+"'] } } }, seen: json, kind: 'body.notMatches', passed: false, actual: 'matched "\\"status\\":\\"ok\\""' },
  { name: 'body expectation not evaluated on HEAD', spec: { method: 'HEAD', expect: { body: { contains: ['x'] } } }, seen: { method: 'HEAD' }, kind: 'body.contains', passed: null },
  // json
  { name: 'json equals', spec: { expect: { json: [{ path: '$.status', op: 'equals', value: 'ok' }] } }, seen: json, kind: 'json', passed: true, actual: '"ok"' },
  { name: 'json equals fails', spec: { expect: { json: [{ path: '$.status', value: 'pass' }] } }, seen: json, kind: 'json', passed: false, actual: '"ok"' },
  { name: 'json nested', spec: { expect: { json: [{ path: "$.checks['db'].status", value: 'ok' }] } }, seen: json, kind: 'json', passed: true },
  { name: 'json notEquals', spec: { expect: { json: [{ path: '$.status', op: 'notEquals', value: 'error' }] } }, seen: json, kind: 'json', passed: true },
  { name: 'json exists', spec: { expect: { json: [{ path: '$.version', op: 'exists' }] } }, seen: json, kind: 'json', passed: true },
  { name: 'json exists fails', spec: { expect: { json: [{ path: '$.uptime', op: 'exists' }] } }, seen: json, kind: 'json', passed: false, actual: 'absent' },
  { name: 'json absent', spec: { expect: { json: [{ path: '$.error', op: 'absent' }] } }, seen: json, kind: 'json', passed: true },
  { name: 'json oneOf', spec: { expect: { json: [{ path: '$.status', op: 'oneOf', value: ['ok', 'pass'] }] } }, seen: json, kind: 'json', passed: true },
  { name: 'json contains in string', spec: { expect: { json: [{ path: '$.version', op: 'contains', value: '1.4' }] } }, seen: json, kind: 'json', passed: true },
  { name: 'json gte', spec: { expect: { json: [{ path: '$.items[0].count', op: 'gte', value: 1 }] } }, seen: json, kind: 'json', passed: true, actual: '2' },
  { name: 'json gt fails on last item', spec: { expect: { json: [{ path: '$.items[-1].count', op: 'gt', value: 0 }] } }, seen: json, kind: 'json', passed: false, actual: '0' },
  { name: 'json lt on a string is false', spec: { expect: { json: [{ path: '$.status', op: 'lt', value: 3 }] } }, seen: json, kind: 'json', passed: false },
  { name: 'json matches', spec: { expect: { json: [{ path: '$.version', op: 'matches', value: '^1\\.' }] } }, seen: json, kind: 'json', passed: true },
  { name: 'json on a non-JSON body', spec: { expect: { json: [{ path: '$.status', value: 'ok' }] } }, seen: { body: '<html>ok</html>' }, kind: 'json', passed: false, actual: 'body is not JSON' },
  // headers
  { name: 'header exists', spec: { expect: { headers: [{ name: 'X-Version' }] } }, seen: { headers: { 'x-version': '42' } }, kind: 'header', passed: true, actual: '42' },
  { name: 'header exists fails', spec: { expect: { headers: [{ name: 'X-Version' }] } }, seen: {}, kind: 'header', passed: false, actual: 'absent' },
  { name: 'header equals', spec: { expect: { headers: [{ name: 'content-type', op: 'equals', value: 'application/json' }] } }, seen: json, kind: 'header', passed: true },
  { name: 'header contains fails', spec: { expect: { headers: [{ name: 'cache-control', op: 'contains', value: 'no-store' }] } }, seen: { headers: { 'cache-control': 'public, max-age=60' } }, kind: 'header', passed: false },
  { name: 'header matches', spec: { expect: { headers: [{ name: 'strict-transport-security', op: 'matches', value: 'max-age=\\d{7,}' }] } }, seen: { headers: { 'strict-transport-security': 'max-age=31536000' } }, kind: 'header', passed: true },
  { name: 'header absent', spec: { expect: { headers: [{ name: 'x-powered-by', op: 'absent' }] } }, seen: { headers: { 'x-powered-by': 'PHP/5.6' } }, kind: 'header', passed: false },
  { name: 'a credential header is judged on its value and shown redacted', spec: { expect: { headers: [{ name: 'Set-Cookie', op: 'contains', value: 'Secure' }] } }, seen: { headers: { 'set-cookie': 'session=s3cr3t; Secure' } }, kind: 'header', passed: true, actual: '[redacted]' },
  // latency
  { name: 'fast enough', spec: {}, seen: { totalMs: 120 }, kind: 'latency', passed: true, actual: '120 ms' },
  { name: 'over the degraded threshold', spec: { expect: { latency: { degradedMs: 500 } } }, seen: { totalMs: 900 }, kind: 'latency', passed: false, actual: '900 ms' },
];

describe('checkExpectation', () => {
  it.each(cases)('$name', ({ spec, seen, kind, passed, actual }) => {
    const context = contextOf(seen, spec);
    const expectation = context.spec.expectations.find((e) => e.kind === kind);
    expect(expectation, `no ${kind} expectation compiled`).toBeDefined();
    if (!expectation) return;
    const result = checkExpectation(expectation, context);
    expect(result.passed).toBe(passed);
    if (actual !== undefined) expect(result.actual).toBe(actual);
    expect(result.description).toContain(`[${kind}]`);
  });

  it('never hangs on a pathological regex: RE2 matches in linear time', () => {
    const context = contextOf({ body: `${'a'.repeat(200_000)}!` }, { expect: { body: { matches: ['(a+)+$'] } } });
    const expectation = context.spec.expectations.find((e) => e.kind === 'body.matches');
    if (!expectation) throw new Error('not compiled');
    const started = performance.now();
    const result = checkExpectation(expectation, context);
    // A backtracking engine takes longer than the age of the universe here; RE2 milliseconds.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.passed).toBe(false);
  });
});
