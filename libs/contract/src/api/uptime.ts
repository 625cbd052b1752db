import { CLASSIFICATIONS } from '@crosscheck/checks';
import { z } from 'zod';
import { isoTimeSchema } from './common';

/*
 * INTERIM (status-pages branch): the shapes of the issue 11 contract, part A, so that status pages
 * compile against them before the rollups land. The rollups' own version replaces this file.
 */

/** The windows uptime and series are asked for. */
export const UPTIME_WINDOWS = ['1h', '24h', '7d', '30d', '90d', '365d'] as const;
export const uptimeWindowSchema = z.enum(UPTIME_WINDOWS);
export type UptimeWindow = z.output<typeof uptimeWindowSchema>;

/** The steps of a series. */
export const SERIES_STEPS = ['1m', '5m', '15m', '1h', '6h', '1d'] as const;
export const seriesStepSchema = z.enum(SERIES_STEPS);
export type SeriesStep = z.output<typeof seriesStepSchema>;

/** The rollup a window is read from: minute for 1h and 24h, hour for 7d/30d/90d, day for 365d. */
export const uptimeResolutionSchema = z.enum(['minute', 'hour', 'day']);

const ratio = z.number().min(0).max(1).nullable();
const classificationSchema = z.enum(CLASSIFICATIONS);
const latencySchema = z.object({ p50: z.number().int(), p95: z.number().int(), max: z.number().int() }).nullable();
const checkCountsSchema = z.object({ up: z.number().int(), degraded: z.number().int(), down: z.number().int(), missing: z.number().int() });

/** `GET /v1/monitors/{id}/uptime`. */
export const uptimeReportSchema = z.object({
  window: uptimeWindowSchema,
  from: isoTimeSchema,
  to: isoTimeSchema,
  resolution: uptimeResolutionSchema,
  uptimeRatio: ratio,
  degradedRatio: ratio,
  incidentMinutes: z.number().min(0),
  rounds: z.object({ counted: z.number().int(), up: z.number().int(), down: z.number().int(), excluded: z.number().int() }),
  excluded: z.object({ rounds: z.number().int(), reason: z.string() }),
  classificationMinutes: z.partialRecord(classificationSchema, z.number()),
  regions: z.record(z.string(), z.object({ uptimeRatio: ratio, checks: checkCountsSchema, latencyMs: latencySchema })),
});
export type UptimeReport = z.output<typeof uptimeReportSchema>;

/** One step of a series. */
export const seriesPointSchema = z.object({
  at: isoTimeSchema,
  rounds: z.number().int(),
  up: z.number().int(),
  down: z.number().int(),
  excluded: z.number().int(),
  uptimeRatio: ratio,
  incidentMinutes: z.number().min(0),
  worst: classificationSchema.nullable(),
  classifications: z.partialRecord(classificationSchema, z.number().int()),
  regions: z.record(z.string(), checkCountsSchema.extend({ latencyMs: latencySchema })),
});

/** `GET /v1/monitors/{id}/series`. */
export const seriesReportSchema = z.object({
  window: uptimeWindowSchema,
  step: seriesStepSchema,
  from: isoTimeSchema,
  to: isoTimeSchema,
  resolution: uptimeResolutionSchema,
  points: z.array(seriesPointSchema),
});
export type SeriesReport = z.output<typeof seriesReportSchema>;
