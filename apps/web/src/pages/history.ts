import { ApiError } from '../api/api-error';
import type { ResultEntryView } from '../api/api-types';
import type { SeriesReport, SeriesStep, UptimeWindow } from '../api/history-types';
import type { LatencySeries } from '../components/latency-plot';

/** A read that a coordinator without history answers 404: `null` then ("no history yet"). */
export async function unlessMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** The latency chart's choices: a window of the rollups, or the raw checks of the result history. */
export const LATENCY_WINDOWS = [
  { id: 'recent', label: 'Recent checks', window: null, step: null },
  { id: '1h', label: 'Last hour', window: '1h', step: '1m' },
  { id: '24h', label: 'Last 24 hours', window: '24h', step: '15m' },
  { id: '7d', label: 'Last 7 days', window: '7d', step: '1h' },
] as const satisfies readonly { id: string; label: string; window: UptimeWindow | null; step: SeriesStep | null }[];

/** One of {@link LATENCY_WINDOWS}. */
export type LatencyWindowId = (typeof LATENCY_WINDOWS)[number]['id'];

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
