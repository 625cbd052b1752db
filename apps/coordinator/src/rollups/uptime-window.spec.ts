import { SERIES_STEPS, UPTIME_WINDOWS } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERIES_STEPS, MAX_SERIES_POINTS, seriesSpan, seriesStepProblem, SERIES_STEP_MS, tierReads, uptimeSpan, UPTIME_WINDOW_SPECS } from './uptime-window';

const NOW = Date.UTC(2026, 10, 25, 9, 34, 20, 500);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('uptime windows', () => {
  it.each([
    { window: '1h' as const, from: '2026-11-25T08:35:00.000Z', to: '2026-11-25T09:35:00.000Z', resolution: 'minute' },
    { window: '24h' as const, from: '2026-11-24T09:35:00.000Z', to: '2026-11-25T09:35:00.000Z', resolution: 'minute' },
    { window: '7d' as const, from: '2026-11-18T10:00:00.000Z', to: '2026-11-25T10:00:00.000Z', resolution: 'hour' },
    { window: '90d' as const, from: '2026-08-27T10:00:00.000Z', to: '2026-11-25T10:00:00.000Z', resolution: 'hour' },
    { window: '365d' as const, from: '2025-11-26T00:00:00.000Z', to: '2026-11-26T00:00:00.000Z', resolution: 'day' },
  ])('$window ends with the current $resolution and is the window long', ({ window, from, to, resolution }) => {
    const span = uptimeSpan(window, NOW);
    expect({ from: iso(span.from), to: iso(span.to), resolution: span.resolution, tier: span.tier.resolution }).toEqual({ from, to, resolution, tier: resolution });
  });

  it('puts a moment on a bucket boundary in the bucket it starts', () => {
    const boundary = Date.UTC(2026, 10, 25, 10, 0, 0, 0);
    expect(iso(uptimeSpan('24h', boundary).to)).toBe('2026-11-25T10:01:00.000Z');
    expect(iso(uptimeSpan('24h', boundary - 1).to)).toBe('2026-11-25T10:00:00.000Z');
  });

  it('takes every default step, each at most 1,500 points', () => {
    for (const window of UPTIME_WINDOWS) {
      expect(seriesStepProblem(window, DEFAULT_SERIES_STEPS[window])).toBeNull();
      expect(UPTIME_WINDOW_SPECS[window].ms / SERIES_STEP_MS[DEFAULT_SERIES_STEPS[window]]).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    }
  });

  it.each([
    { window: '7d' as const, step: '15m' as const, problem: /at least 1h for window 7d: it is kept per hour/ },
    { window: '365d' as const, step: '6h' as const, problem: /at least 1d/ },
    { window: '1h' as const, step: '6h' as const, problem: /not be longer than the window/ },
    { window: '90d' as const, step: '1h' as const, problem: /gives 2160 points .* at most 1500/ },
  ])('refuses step $step for $window', ({ window, step, problem }) => {
    expect(seriesStepProblem(window, step)).toMatch(problem);
    expect(() => seriesSpan(window, step, NOW)).toThrow(RangeError);
  });

  it.each([
    { window: '24h' as const, step: '15m' as const, tier: 'minute', from: '2026-11-24T09:45:00.000Z', points: 96 },
    { window: '24h' as const, step: '1h' as const, tier: 'hour', from: '2026-11-24T10:00:00.000Z', points: 24 },
    { window: '30d' as const, step: '6h' as const, tier: 'hour', from: '2026-10-26T12:00:00.000Z', points: 120 },
    { window: '90d' as const, step: '1d' as const, tier: 'day', from: '2026-08-28T00:00:00.000Z', points: 90 },
  ])('cuts $window into $points steps of $step, aligned to the step, read from the $tier tier', ({ window, step, tier, from, points }) => {
    const span = seriesSpan(window, step, NOW);
    expect(span.tier.resolution).toBe(tier);
    expect(span.resolution).toBe(UPTIME_WINDOW_SPECS[window].resolution);
    expect(iso(span.from)).toBe(from);
    expect((span.to - span.from) / span.stepMs).toBe(points);
    expect(span.to).toBeGreaterThan(NOW);
    expect(span.to - span.stepMs).toBeLessThanOrEqual(NOW);
  });

  it.each(UPTIME_WINDOWS)('reads %s as whole days from the day tier and its edges from its own, tiling it', (window) => {
    const span = uptimeSpan(window, NOW);
    const reads = tierReads(span);
    expect(reads[0]?.from).toBe(span.from);
    expect(reads[reads.length - 1]?.to).toBe(span.to);
    for (let i = 1; i < reads.length; i++) expect(reads[i]?.from).toBe(reads[i - 1]?.to);
    for (const read of reads) {
      expect(read.from % read.tier.bucketMs).toBe(0);
      expect(read.to % read.tier.bucketMs).toBe(0);
    }
    const days = reads.filter((read) => read.tier.resolution === 'day');
    if (window === '90d') expect(days.map((read) => (read.to - read.from) / 86_400_000)).toEqual([89]);
    if (window === '1h') expect(reads).toEqual([{ tier: span.tier, from: span.from, to: span.to }]);
  });

  it('knows every step', () => {
    for (const step of SERIES_STEPS) expect(SERIES_STEP_MS[step] % 60_000).toBe(0);
  });
});
