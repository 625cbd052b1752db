import type { ResultEntryView } from '../api/api-types';
import type { SeriesReport, SeriesStep, UptimeWindow } from '../api/api-types';
import type { LatencySeries } from '../components/latency-plot';

/** The latency chart's windows, each with the step that gives it 60 to 120 points. */
export const LATENCY_WINDOWS = [
  { id: '1h', label: 'Last hour', step: '1m', stepWords: 'one-minute steps' },
  { id: '24h', label: 'Last 24 hours', step: '15m', stepWords: '15-minute steps' },
  { id: '7d', label: 'Last 7 days', step: '1h', stepWords: 'one-hour steps' },
  { id: '30d', label: 'Last 30 days', step: '6h', stepWords: 'six-hour steps' },
] as const satisfies readonly { id: UptimeWindow; label: string; step: SeriesStep; stepWords: string }[];

/** One of {@link LATENCY_WINDOWS}. */
export type LatencyWindowId = (typeof LATENCY_WINDOWS)[number]['id'];

/** Whether any round of the monitor fell in the series' window: without one, there is nothing to chart from it. */
export function hasRounds(report: SeriesReport): boolean {
  return report.points.some((point) => point.rounds > 0);
}

/** One region's p50 and p95 of each step of a series (a step without checks is a gap). */
export function latencyOfSeries(report: SeriesReport, region: string): LatencySeries {
  return {
    at: report.points.map((point) => Date.parse(point.at) / 1_000),
    lines: [
      { label: 'p50', values: report.points.map((point) => point.regions[region]?.latencyMs?.p50 ?? null) },
      { label: 'p95', values: report.points.map((point) => point.regions[region]?.latencyMs?.p95 ?? null) },
    ],
  };
}

/** One region's total time of each check of the result history, oldest first (a missing check is a gap). */
export function latencyOfResults(items: readonly ResultEntryView[], region: string): LatencySeries {
  const mine = items.filter((item) => item.region === region).sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
  return {
    at: mine.map((item) => Date.parse(item.scheduledAt) / 1_000),
    lines: [{ label: 'total', values: mine.map((item) => item.observation?.timings.total ?? item.evidence?.totalMs ?? null) }],
  };
}

/** Each region's newest result that carries the observation (timings, headers): compact ones do not. */
export function latestFullResults(items: readonly ResultEntryView[]): Record<string, ResultEntryView> {
  const latest: Record<string, ResultEntryView> = {};
  for (const item of items) {
    if (item.observation === undefined) continue;
    const seen = latest[item.region];
    if (seen === undefined || Date.parse(item.scheduledAt) > Date.parse(seen.scheduledAt)) latest[item.region] = item;
  }
  return latest;
}
