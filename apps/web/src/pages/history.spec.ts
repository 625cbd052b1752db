import type { SeriesPoint, SeriesReport } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { hasRounds, latencyOfSeries } from './history';

function point(at: string, overrides: Partial<SeriesPoint> = {}): SeriesPoint {
  return { at, rounds: 0, up: 0, down: 0, excluded: 0, uptimeRatio: null, incidentMinutes: 0, maintenanceMinutes: 0, worst: null, classifications: {}, regions: {}, ...overrides };
}

function report(points: SeriesPoint[]): SeriesReport {
  return { window: '1h', step: '1m', from: points[0]!.at, to: '2026-03-04T10:03:00.000Z', resolution: 'minute', points };
}

describe('the latency of a series', () => {
  const checks = { up: 1, degraded: 0, down: 0, missing: 0 };
  const series = report([
    point('2026-03-04T10:00:00.000Z'),
    point('2026-03-04T10:01:00.000Z', { rounds: 1, up: 1, uptimeRatio: 1, regions: { 'eu-west': { ...checks, latencyMs: { p50: 40, p95: 90, max: 120 } }, 'us-east': { ...checks, up: 0, missing: 1, latencyMs: null } } }),
    point('2026-03-04T10:02:00.000Z', { rounds: 1, up: 1, uptimeRatio: 1, regions: { 'eu-west': { ...checks, latencyMs: { p50: 45, p95: 60, max: 61 } } } }),
  ]);

  it('is p50 and p95 per step of one region, a gap where it measured nothing', () => {
    expect(latencyOfSeries(series, 'eu-west')).toEqual({
      at: [1772618400, 1772618460, 1772618520],
      lines: [
        { label: 'p50', values: [null, 40, 45] },
        { label: 'p95', values: [null, 90, 60] },
      ],
    });
    expect(latencyOfSeries(series, 'us-east').lines[0]!.values).toEqual([null, null, null]);
  });

  it('tells a window with rounds from one without (the only case for the result history fallback)', () => {
    expect(hasRounds(series)).toBe(true);
    expect(hasRounds(report([point('2026-03-04T10:00:00.000Z'), point('2026-03-04T10:01:00.000Z')]))).toBe(false);
  });
});
