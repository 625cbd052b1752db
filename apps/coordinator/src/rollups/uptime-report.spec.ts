import type { Classification } from '@crosscheck/checks';
import { describe, expect, it } from 'vitest';
import type { RegionReport } from '../results/round';
import { addBucket, emptyBucket, type TimedBucket } from './rollup-bucket';
import { ROLLUP_TIERS } from './rollup-tiers';
import { roundRollup } from './round-rollup';
import { seriesReport, uptimeReport } from './uptime-report';
import { seriesSpan, uptimeSpan } from './uptime-window';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 30);

function up(totalMs: number, status: RegionReport['status'] = 'up'): RegionReport {
  return {
    status,
    causes: [],
    evidence: { httpStatus: status === 'down' ? 503 : 200, finalUrl: 'https://x.test/', totalMs, redirects: 0, cache: { hit: false, signals: [] } },
    agentId: 'a',
    agentVersion: null,
    checkedAt: null,
  };
}
const missing: RegionReport = { status: 'missing', causes: [], evidence: null, agentId: null, agentVersion: null, checkedAt: null };

/** Rounds into per-minute buckets, as the commit keeps them. */
function minutes(rounds: { at: number; classification: Classification; regions: Record<string, RegionReport>; incidentOpen?: boolean }[]): TimedBucket[] {
  const byStart = new Map<number, TimedBucket>();
  for (const round of rounds) {
    const start = Math.floor(round.at / 60_000) * 60_000;
    const timed = byStart.get(start) ?? { start, bucket: emptyBucket() };
    addBucket(timed.bucket, roundRollup({ regions: round.regions, classification: round.classification, intervalSeconds: 30, incidentOpen: round.incidentOpen ?? false }));
    byStart.set(start, timed);
  }
  return [...byStart.values()];
}

describe('uptime reports', () => {
  it('an empty window: zeros and nulls, the reason for exclusion said', () => {
    const report = uptimeReport('24h', uptimeSpan('24h', NOW), []);
    expect(report).toMatchObject({
      window: '24h',
      resolution: 'minute',
      uptimeRatio: null,
      degradedRatio: null,
      incidentMinutes: 0,
      rounds: { counted: 0, up: 0, down: 0, excluded: 0 },
      classificationMinutes: {},
      regions: {},
    });
    expect(report.excluded.reason).toMatch(/unknown/);
    const series = seriesReport('1h', '1m', seriesSpan('1h', '1m', NOW), []);
    expect(series.points).toHaveLength(60);
    expect(series.points[0]).toEqual({ at: series.from, rounds: 0, up: 0, down: 0, excluded: 0, uptimeRatio: null, incidentMinutes: 0, maintenanceMinutes: 0, worst: null, classifications: {}, regions: {} });
  });

  it('30 up, 10 down, a degraded and 2 unknown rounds', () => {
    const start = NOW - 30 * 60_000;
    const rounds = [
      ...Array.from({ length: 30 }, (_, i) => ({ at: start + i * 30_000, classification: 'operational' as const, regions: { eu: up(100), us: up(200) } })),
      ...Array.from({ length: 10 }, (_, i) => ({ at: start + (30 + i) * 30_000, classification: 'outage' as const, regions: { eu: up(50, 'down'), us: up(60, 'down') }, incidentOpen: i >= 1 })),
      { at: start + 40 * 30_000, classification: 'degraded' as const, regions: { eu: up(4_000, 'degraded'), us: up(200) } },
      ...Array.from({ length: 2 }, (_, i) => ({ at: start + (41 + i) * 30_000, classification: 'unknown' as const, regions: { eu: missing, us: missing } })),
    ];
    const report = uptimeReport('1h', uptimeSpan('1h', NOW), minutes(rounds));
    expect(report.rounds).toEqual({ counted: 41, up: 31, down: 10, excluded: 2 });
    expect(report.uptimeRatio).toBe(31 / 41);
    expect(report.degradedRatio).toBe(1 / 41);
    expect(report.incidentMinutes).toBe(4.5);
    expect(report.classificationMinutes).toEqual({ operational: 15, degraded: 0.5, outage: 5, unknown: 1 });
    expect(report.regions['eu']).toMatchObject({ uptimeRatio: 31 / 41, checks: { up: 30, degraded: 1, down: 10, missing: 2 } });
    expect(report.regions['us']).toMatchObject({ uptimeRatio: 31 / 41, checks: { up: 31, degraded: 0, down: 10, missing: 2 } });
    // eu: 30 at 100 ms, 10 at 50 ms, 1 at 4 s. p50 = the 21st of 41, p95 = the 39th: both 100 ms,
    // reported as the middle of its bucket, [95.4, 114.5): 105 ms.
    expect(report.regions['eu']?.latencyMs).toEqual({ p50: 105, p95: 105, max: 4_000 });
    expect(report.regions['us']?.latencyMs?.p50).toBeCloseTo(200, -1);
    expect(report.regions['us']?.latencyMs?.max).toBe(200);
  });

  it('puts a bucket in the step it starts in', () => {
    const span = seriesSpan('1h', '15m', NOW);
    const series = seriesReport('1h', '15m', span, [
      { start: span.from, bucket: roundRollup({ regions: { eu: up(10) }, classification: 'outage', intervalSeconds: 60, incidentOpen: true }) },
      { start: span.from + 15 * 60_000 - 60_000, bucket: roundRollup({ regions: { eu: up(10) }, classification: 'operational', intervalSeconds: 60, incidentOpen: false }) },
    ]);
    expect(series.points.map((p) => [p.rounds, p.worst, p.incidentMinutes])).toEqual([
      [2, 'outage', 1],
      [0, null, 0],
      [0, null, 0],
      [0, null, 0],
    ]);
    expect(series.points[1]?.regions).toEqual({ eu: { up: 0, degraded: 0, down: 0, missing: 0, latencyMs: null } });
  });

  it.each([
    { seen: ['operational', 'degraded'] as Classification[], worst: 'degraded' },
    { seen: ['operational', 'unknown'] as Classification[], worst: 'unknown' },
    { seen: ['degraded', 'regional_outage', 'masked_outage'] as Classification[], worst: 'masked_outage' },
    { seen: ['masked_outage', 'outage'] as Classification[], worst: 'outage' },
  ])('the worst of $seen is $worst', ({ seen, worst }) => {
    const span = seriesSpan('1h', '1h', NOW);
    const bucket = emptyBucket();
    for (const classification of seen) addBucket(bucket, roundRollup({ regions: {}, classification, intervalSeconds: 30, incidentOpen: false }));
    expect(seriesReport('1h', '1h', span, [{ start: span.from, bucket }]).points[0]?.worst).toBe(worst);
  });

  it('gives the same answer from hours and from the day they sum to (percentiles merge exactly)', () => {
    const day = Date.UTC(2026, 10, 24);
    const hours: TimedBucket[] = [];
    const whole = emptyBucket();
    for (let h = 0; h < 24; h++) {
      const bucket = emptyBucket();
      for (let i = 0; i < 120; i++) {
        const ms = 50 + ((h * 120 + i) % 97) * 7 + (h === 13 ? 2_000 : 0);
        const round = roundRollup({ regions: { eu: up(ms, ms > 1_000 ? 'degraded' : 'up') }, classification: ms > 1_000 ? 'degraded' : 'operational', intervalSeconds: 30, incidentOpen: false });
        addBucket(bucket, round);
        addBucket(whole, round);
      }
      hours.push({ start: day + h * ROLLUP_TIERS.hour.bucketMs, bucket });
    }
    const fromHours = seriesReport('90d', '1d', seriesSpan('90d', '1d', NOW), hours);
    const fromDay = seriesReport('90d', '1d', seriesSpan('90d', '1d', NOW), [{ start: day, bucket: whole }]);
    expect(fromHours).toEqual(fromDay);
    const point = fromDay.points.find((p) => p.at === new Date(day).toISOString());
    expect(point).toMatchObject({ rounds: 2_880, up: 2_880, classifications: { operational: 2_760, degraded: 120 } });
    expect(point?.regions['eu']?.latencyMs?.max).toBe(2_722);
  });
});

describe('uptime with maintenance', () => {
  it('leaves rounds in a window out of the ratios, counts them excluded, and reports their minutes', () => {
    const at = NOW - 10 * 60_000;
    const buckets: TimedBucket[] = [
      { classification: 'operational' as const, inMaintenance: false },
      { classification: 'outage' as const, inMaintenance: false },
      { classification: 'outage' as const, inMaintenance: true },
      { classification: 'degraded' as const, inMaintenance: true },
      { classification: 'unknown' as const, inMaintenance: true },
    ].map((round, i) => ({
      start: at + i * 60_000,
      bucket: roundRollup({ regions: { eu: up(100) }, classification: round.classification, intervalSeconds: 60, incidentOpen: false, inMaintenance: round.inMaintenance }),
    }));
    const report = uptimeReport('1h', uptimeSpan('1h', NOW), buckets);
    expect(report).toMatchObject({ uptimeRatio: 0.5, degradedRatio: 0, maintenanceMinutes: 3, rounds: { counted: 2, up: 1, down: 1, excluded: 3 } });
    expect(report.excluded).toEqual({ rounds: 3, reason: expect.stringContaining('maintenance window') });
    expect(report.classificationMinutes).toEqual({ operational: 1, outage: 2, degraded: 1, unknown: 1 });
    const series = seriesReport('1h', '1m', seriesSpan('1h', '1m', NOW), buckets);
    const inWindow = series.points.filter((point) => point.maintenanceMinutes > 0);
    expect(inWindow.map((point) => [point.up, point.down, point.excluded])).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
  });
});
