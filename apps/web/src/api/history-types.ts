/**
 * Uptime and latency history (`GET /v1/monitors/{id}/uptime` and `/series`), as the shared
 * contract (part A) documents them. Written here because the rollups land beside this dashboard:
 * once `@crosscheck/contract` exports `UptimeReport` and `SeriesReport`, these give way to them.
 */

/** The windows the history routes take. */
export type UptimeWindow = '1h' | '24h' | '7d' | '30d' | '90d' | '365d';
/** The steps `/series` takes. */
export type SeriesStep = '1m' | '5m' | '15m' | '1h' | '6h' | '1d';

/** Latency percentiles in integer ms; `null` when nothing was measured. */
export interface LatencyMs {
  p50: number;
  p95: number;
  max: number;
}

/** `GET /v1/monitors/{id}/uptime?window=`. */
export interface UptimeReport {
  window: UptimeWindow;
  from: string;
  to: string;
  resolution: 'minute' | 'hour' | 'day';
  /** (operational + degraded rounds) / counted rounds; `null` when none was counted. */
  uptimeRatio: number | null;
  degradedRatio: number | null;
  incidentMinutes: number;
  rounds: { counted: number; up: number; down: number; excluded: number };
  excluded: { rounds: number; reason: string };
  classificationMinutes: Partial<Record<string, number>>;
  regions: Record<string, { uptimeRatio: number | null; checks: { up: number; degraded: number; down: number; missing: number }; latencyMs: LatencyMs | null }>;
}

/** One step of `GET /v1/monitors/{id}/series`. */
export interface SeriesPoint {
  at: string;
  rounds: number;
  up: number;
  down: number;
  excluded: number;
  uptimeRatio: number | null;
  incidentMinutes: number;
  /** Worst classification seen in the step; `null` when none. */
  worst: string | null;
  classifications: Partial<Record<string, number>>;
  regions: Record<string, { up: number; degraded: number; down: number; missing: number; latencyMs: LatencyMs | null }>;
}

/** `GET /v1/monitors/{id}/series?window=&step=`: every step from `from` to `to`, oldest first. */
export interface SeriesReport {
  window: UptimeWindow;
  step: SeriesStep;
  from: string;
  to: string;
  resolution: 'minute' | 'hour' | 'day';
  points: SeriesPoint[];
}
