import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION } from './contract-version';
import { checkResultSchema, RESULT_WIRE_LIMITS, type CheckResult } from './check-result';

function result(overrides: Partial<CheckResult['verdict']> = {}, observation: Partial<CheckResult['observation']> = {}): CheckResult {
  return {
    v: CONTRACT_VERSION,
    monitorId: 'mon_aaaaaaaaaaaaaaaaaaaa',
    roundId: 'mon_aaaaaaaaaaaaaaaaaaaa-1764000000000',
    region: 'eu-west',
    agentId: 'agent-1',
    agentVersion: '0.1.0',
    startedAt: 1_764_000_000_000,
    finishedAt: 1_764_000_000_040,
    verdict: {
      status: 'down',
      causes: [{ code: 'status_mismatch', severity: 'down', message: 'status 503, expected 200-299', evidence: { httpStatus: 503 } }],
      expectations: [{ kind: 'status', passed: false, description: '[status] status in 200-299: FAILED, saw 503', expected: 'status in 200-299', actual: '503' }],
      evidence: { httpStatus: 503, finalUrl: 'https://example.test/', totalMs: 40, redirects: 0, cache: { hit: false, signals: [] } },
      ...overrides,
    },
    observation: { url: 'https://example.test/', finalUrl: 'https://example.test/', timings: { total: 40 }, headers: {}, ...observation },
  };
}

describe('checkResultSchema bounds what an agent may send', () => {
  it('accepts an ordinary result', () => {
    expect(checkResultSchema.safeParse(result()).success).toBe(true);
  });

  const cause = { code: 'body_mismatch' as const, severity: 'down' as const, message: 'x', evidence: {} };
  const expectation = { kind: 'body.matches', passed: false, description: 'd', expected: 'e', actual: 'a' };
  it.each([
    ['a 100 KB cause message', result({ causes: [{ ...cause, message: 'x'.repeat(100_000) }] })],
    ['10,000 causes', result({ causes: Array.from({ length: 10_000 }, () => cause) })],
    ['10,000 expectations', result({ expectations: Array.from({ length: 10_000 }, () => expectation) })],
    ['a 100 KB expectation description', result({ expectations: [{ ...expectation, description: 'd'.repeat(100_000) }] })],
    ['an evidence list of 10,000 strings', result({ causes: [{ ...cause, evidence: { chain: Array.from({ length: 10_000 }, () => 'hop') } }] })],
    ['a 100 KB evidence string', result({ causes: [{ ...cause, evidence: { body: 'b'.repeat(100_000) } }] })],
    ['1,000 evidence fields', result({ causes: [{ ...cause, evidence: Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i])) }] })],
    ['10,000 cache signals', result({ evidence: { httpStatus: 200, finalUrl: 'https://x/', totalMs: 1, redirects: 0, cache: { hit: true, signals: Array.from({ length: 10_000 }, () => 'age: 1') } } })],
    ['a 1 MB final URL', result({}, { finalUrl: `https://x/${'p'.repeat(1_000_000)}` })],
    ['1,000 observation headers', result({}, { headers: Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`h${i}`, 'v'])) })],
  ])('rejects %s as malformed', (_name, candidate) => {
    expect(checkResultSchema.safeParse(candidate).success).toBe(false);
  });
});

describe('checkResultSchema bounds the whole result', () => {
  it('rejects a result of many parts each within its bound but over RESULT_WIRE_LIMITS.jsonBytes together', () => {
    const message = 'm'.repeat(RESULT_WIRE_LIMITS.text);
    const causes = Array.from({ length: RESULT_WIRE_LIMITS.causes }, () => ({ code: 'body_mismatch' as const, severity: 'down' as const, message, evidence: {} }));
    expect(checkResultSchema.safeParse(result({ causes })).success).toBe(false);
  });
});

describe('checkResultSchema carries the content baseline fields', () => {
  const evidence = { httpStatus: 200, finalUrl: 'https://example.test/', totalMs: 40, redirects: 0, cache: { hit: false, signals: [] } };
  const fingerprint = {
    mediaType: 'application/health+json',
    kind: 'health' as const,
    healthDialect: 'ietf-health',
    dependencies: ['db'],
    jsonKeys: ['checks', 'status'],
    sizeBand: 8,
    validators: { etag: '"v1"', bodyHash: '0123456789abc' },
  };

  it('accepts the validators in the evidence and the fingerprint in the observation', () => {
    const parsed = checkResultSchema.safeParse(result({ status: 'up', causes: [], evidence: { ...evidence, content: { etag: '"v1"', version: '1.4.0', bodyHash: '0123456789abc' } } }, { fingerprint }));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.observation.fingerprint?.dependencies).toEqual(['db']);
    expect(parsed.data?.verdict.evidence.content?.version).toBe('1.4.0');
  });

  it.each([
    ['a 1 KB ETag in the evidence', result({ evidence: { ...evidence, content: { etag: 'e'.repeat(1024) } } })],
    ['100 JSON keys in the fingerprint', result({}, { fingerprint: { ...fingerprint, jsonKeys: Array.from({ length: 100 }, (_, i) => `k${i}`) } })],
    ['an unknown kind', result({}, { fingerprint: { ...fingerprint, kind: 'pdf' as never } })],
  ])('rejects %s as malformed', (_name, candidate) => {
    expect(checkResultSchema.safeParse(candidate).success).toBe(false);
  });
});

describe('checkResultSchema carries the RFC 9111 freshness of the cache evidence', () => {
  const withFreshness = (freshness: unknown) =>
    result({ evidence: { httpStatus: 200, finalUrl: 'https://x/', totalMs: 1, redirects: 0, cache: { hit: true, ageSeconds: 1900, signals: ['age: 1900'], freshness } } } as Partial<CheckResult['verdict']>);

  it.each([
    { lifetimeSeconds: 60, ageSeconds: 1900, state: 'stale_if_error' },
    { lifetimeSeconds: null, ageSeconds: 0, state: 'unknown' },
  ])('accepts %j', (freshness) => {
    expect(checkResultSchema.safeParse(withFreshness(freshness)).success).toBe(true);
  });

  it.each([
    ['a state no reader knows', { lifetimeSeconds: 60, ageSeconds: 1, state: 'rotten' }],
    ['a negative age', { lifetimeSeconds: 60, ageSeconds: -1, state: 'fresh' }],
    ['a lifetime as text', { lifetimeSeconds: '60', ageSeconds: 1, state: 'fresh' }],
    ['no state', { lifetimeSeconds: 60, ageSeconds: 1 }],
  ])('rejects %s', (_name, freshness) => {
    expect(checkResultSchema.safeParse(withFreshness(freshness)).success).toBe(false);
  });
});
