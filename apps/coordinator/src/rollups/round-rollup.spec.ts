import type { KeyEvidence } from '@crosscheck/checks';
import { describe, expect, it } from 'vitest';
import type { RegionReport } from '../results/round';
import { latencyBucketOf } from './latency-histogram';
import { latencyOf, roundRollup } from './round-rollup';

function report(status: RegionReport['status'], evidence: Partial<KeyEvidence> | null): RegionReport {
  return {
    status,
    causes: [],
    evidence: evidence && { httpStatus: 200, finalUrl: 'https://x.test/', totalMs: 100, redirects: 0, cache: { hit: false, signals: [] }, ...evidence },
    agentId: status === 'missing' ? null : 'a',
    agentVersion: null,
    checkedAt: null,
  };
}

describe('a round rollup', () => {
  it.each([
    { name: 'an up check', report: report('up', { totalMs: 120 }), latency: 120 },
    { name: 'a down check with a response (a 503)', report: report('down', { httpStatus: 503, totalMs: 40 }), latency: 40 },
    { name: 'a fractional time, rounded', report: report('degraded', { totalMs: 99.6 }), latency: 100 },
    { name: 'a timeout: a duration, no latency', report: report('down', { httpStatus: null, totalMs: 10_000, probeError: 'timeout' }), latency: null },
    { name: 'a refused connection', report: report('down', { httpStatus: null, totalMs: 2, probeError: 'connection_refused' }), latency: null },
    { name: 'a missing region', report: report('missing', null), latency: null },
  ])('latency of $name: $latency', ({ report: r, latency }) => {
    expect(latencyOf(r)).toBe(latency);
  });

  it.each([
    { classification: 'operational' as const, incidentOpen: false, incidentSeconds: 0 },
    { classification: 'outage' as const, incidentOpen: true, incidentSeconds: 30 },
    { classification: 'unknown' as const, incidentOpen: true, incidentSeconds: 30 },
    { classification: 'operational' as const, incidentOpen: true, incidentSeconds: 30 },
  ])('counts one $classification round of 30 s, incident open: $incidentOpen', ({ classification, incidentOpen, incidentSeconds }) => {
    const bucket = roundRollup({ regions: { b: report('up', { totalMs: 80 }), a: report('missing', null) }, classification, intervalSeconds: 30, incidentOpen });
    expect(bucket.rounds).toBe(1);
    expect(bucket.classifications[classification]).toEqual({ rounds: 1, seconds: 30 });
    expect(Object.values(bucket.classifications).reduce((sum, c) => sum + c.rounds, 0)).toBe(1);
    expect(bucket.incidentSeconds).toBe(incidentSeconds);
    expect([...bucket.regions.keys()]).toEqual(['a', 'b']);
    expect(bucket.regions.get('a')).toMatchObject({ missing: 1, up: 0, latency: new Map() });
    expect(bucket.regions.get('b')).toMatchObject({ up: 1, latencyMaxMs: 80, latency: new Map([[latencyBucketOf(80), 1]]) });
  });
});
