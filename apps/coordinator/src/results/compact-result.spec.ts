import type { CheckResult } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { fakeResult } from '../testing/fake-region-agent';
import { compactResult, MAX_STORED_RESULT_BYTES, STORED_VALUE_CHARS } from './compact-result';

function resultWith(verdict: Partial<CheckResult['verdict']>): CheckResult {
  const base = fakeResult({ monitorId: 'mon_aaaaaaaaaaaaaaaaaaaa', roundId: 'mon_aaaaaaaaaaaaaaaaaaaa-1764000000000', region: 'eu-west' }, 'agent-1');
  return {
    ...base,
    agentVersion: '0.1.0',
    finishedAt: 1_764_000_000_040,
    verdict: {
      ...base.verdict,
      expectations: [
        { kind: 'status', passed: true, description: '[status] status in 200-299: ok, saw 200', expected: 'status in 200-299', actual: '200' },
        { kind: 'latency', passed: true, description: '[latency] total time < 3000 ms: ok, saw 40 ms', expected: 'total time < 3000 ms', actual: '40 ms' },
        { kind: 'body.contains', passed: null, description: '[body.contains] body contains "ok": not evaluated (no body)', expected: 'body contains "ok"', actual: null },
      ],
      ...verdict,
    },
    observation: { ...base.observation, headers: { server: 'nginx', 'content-type': 'application/json' } },
  };
}

describe('compactResult', () => {
  it('keeps an ordinary result whole but for the expectations that passed, which it counts', () => {
    const { report, record } = compactResult(resultWith({}), 1_764_000_000_000);
    expect(report).toEqual({ status: 'up', causes: [], evidence: resultWith({}).verdict.evidence, agentId: 'agent-1', agentVersion: '0.1.0', checkedAt: '2025-11-24T16:00:00.040Z' });
    expect(record).toMatchObject({ expectations: [], expectationCounts: { passed: 2, failed: 0, notEvaluated: 1 }, observation: resultWith({}).observation });
    expect(record.truncated).toBeUndefined();
  });

  it('keeps the failed expectations and every cause, values cut to 256 characters', () => {
    const long = 'v'.repeat(2_000);
    const { record } = compactResult(
      resultWith({
        status: 'down',
        causes: [{ code: 'json_assertion_failed', severity: 'down', message: long, evidence: { expected: long, actual: long, chain: [long, long], n: 3 } }],
        expectations: [{ kind: 'json', passed: false, description: long, expected: long, actual: long }],
      }),
      1,
    );
    expect(record.expectations).toHaveLength(1);
    expect(record.expectations?.[0]?.actual).toHaveLength(STORED_VALUE_CHARS);
    expect(record.causes[0]?.message).toHaveLength(STORED_VALUE_CHARS);
    expect(record.causes[0]?.evidence).toMatchObject({ n: 3, chain: [expect.any(String), expect.any(String)] });
    expect(record.truncated).toBeUndefined();
  });

  it('cuts a result over 16 KiB harder, keeping every cause code and severity and the verdict', () => {
    const long = 'x'.repeat(8_000);
    const causes = Array.from({ length: 200 }, (_, i) => ({
      code: i % 3 === 0 ? ('stale_cache' as const) : ('body_mismatch' as const),
      severity: i % 2 === 0 ? ('down' as const) : ('degraded' as const),
      message: long,
      evidence: { bypassStatus: 502, bypassErrorPageVendor: 'nginx', text: long, list: Array.from({ length: 60 }, () => long) },
    }));
    const expectations = Array.from({ length: 128 }, () => ({ kind: 'body.matches', passed: false, description: long, expected: long, actual: long }));
    const result = resultWith({ status: 'down', causes, expectations });
    const { report, record } = compactResult(result, 1);
    expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(MAX_STORED_RESULT_BYTES);
    expect(record.truncated).toBe(true);
    expect(report.truncated).toBe(true);
    expect(record.status).toBe('down');
    const kinds = (list: { code: string; severity: string }[]) => new Set(list.map((c) => `${c.code}/${c.severity}`));
    expect(kinds(record.causes)).toEqual(kinds(causes));
    // Reconciliation reads numbers and short strings of a stale_cache cause's evidence.
    expect(record.causes.find((c) => c.code === 'stale_cache')?.evidence).toMatchObject({ bypassStatus: 502, bypassErrorPageVendor: 'nginx' });
    expect(record.expectationCounts).toEqual({ passed: 0, failed: 128, notEvaluated: 0 });
    expect(record.droppedCauses).toBe(200 - kinds(causes).size);
  });
});
