import { z } from 'zod';
import { isoTimeSchema } from './common';
import { classificationSchema } from './incident';

/** The windows `GET /v1/monitors/{id}/uptime` and `/series` answer for, each ending now. */
export const UPTIME_WINDOWS = ['1h', '24h', '7d', '30d', '90d', '365d'] as const;
export type UptimeWindow = (typeof UPTIME_WINDOWS)[number];

/** The steps of a series, each a whole number of the buckets it is summed from (all UTC-aligned). */
export const SERIES_STEPS = ['1m', '5m', '15m', '1h', '6h', '1d'] as const;
export type SeriesStep = (typeof SERIES_STEPS)[number];

/** How finely a window is kept: rollups per minute (1h, 24h), per hour (7d, 30d, 90d), per UTC day (365d). */
export const ROLLUP_RESOLUTIONS = ['minute', 'hour', 'day'] as const;
export type RollupResolution = (typeof ROLLUP_RESOLUTIONS)[number];

/** Why rounds classified `unknown` are left out of the ratios, said in every uptime answer. */
export const EXCLUDED_ROUNDS_REASON =
  'rounds classified unknown (every region missing, or too few answered) count neither as up nor as down, and neither do rounds in a maintenance window (see maintenanceMinutes)';

export const uptimeWindowSchema = z.enum(UPTIME_WINDOWS);
export const seriesStepSchema = z.enum(SERIES_STEPS);
export const rollupResolutionSchema = z.enum(ROLLUP_RESOLUTIONS);

const count = () => z.number().int().min(0);
const ratio = () => z.number().min(0).max(1).nullable();

/** Latency percentiles of a region's checks (the probe's total time, ms), from a log-bucketed histogram. */
export const latencySummarySchema = z
  .object({
    p50: z.number().int().min(0),
    p95: z.number().int().min(0),
    max: z.number().int().min(0).describe('Exact.'),
  })
  .describe(
    "Percentiles of the probe's total time over the checks that got a response (nearest rank, from a histogram of 1.2× buckets: within ±10 % of the true value, never above `max`).",
  );

/** How one region's checks went. */
export const regionChecksSchema = z.object({
  up: count(),
  degraded: count(),
  down: count(),
  missing: count().describe('Checks the region did not answer (never counted as down).'),
});

/** One region over an uptime window. */
export const regionUptimeSchema = z.object({
  uptimeRatio: ratio().describe('(up + degraded) ÷ (up + degraded + down) checks, missing ones left out; `null` when none was counted.'),
  checks: regionChecksSchema,
  latencyMs: latencySummarySchema.nullable().describe('`null` when no check of the region got a response in the window.'),
});

/** `GET /v1/monitors/{id}/uptime`: how a monitor did over a window ending now. */
export const uptimeReportSchema = z.object({
  window: uptimeWindowSchema,
  from: isoTimeSchema.describe('Start of the window (inclusive), aligned to its resolution.'),
  to: isoTimeSchema.describe('End of the window (exclusive): the end of the current minute, hour or day.'),
  resolution: rollupResolutionSchema,
  uptimeRatio: ratio().describe('Rounds classified operational or degraded ÷ rounds counted; `null` when none was counted.'),
  degradedRatio: ratio().describe('Rounds classified degraded ÷ rounds counted; `null` when none was counted.'),
  incidentMinutes: z.number().min(0).describe("Minutes with an incident open: the sum of the rounds' intervals after which one was open."),
  maintenanceMinutes: z
    .number()
    .min(0)
    .describe("Minutes in a maintenance window: the sum of those rounds' intervals. Those rounds are excluded from the ratios (and counted in `rounds.excluded`)."),
  rounds: z.object({
    counted: count().describe('Rounds that decided something: every round but the excluded ones.'),
    up: count().describe('Counted rounds classified operational or degraded.'),
    down: count().describe('Counted rounds classified outage, masked_outage or regional_outage.'),
    excluded: count(),
  }),
  excluded: z.object({ rounds: count(), reason: z.string().meta({ examples: [EXCLUDED_ROUNDS_REASON] }) }),
  classificationMinutes: z
    .partialRecord(classificationSchema, z.number().min(0))
    .describe("Minutes per classification (the sum of its rounds' intervals); only the classifications seen.")
    .meta({ examples: [{ operational: 15, outage: 5 }] }),
  regions: z.record(z.string(), regionUptimeSchema).describe('Every region seen in the window, by name.'),
});
export type UptimeReport = z.output<typeof uptimeReportSchema>;

/** One region in one step of a series. */
export const seriesRegionSchema = regionChecksSchema.extend({
  latencyMs: latencySummarySchema.nullable(),
});

/** One step of a series. */
export const seriesPointSchema = z.object({
  at: isoTimeSchema.describe('Start of the step.'),
  rounds: count().describe('Every round of the step: up + down + excluded.'),
  up: count(),
  down: count(),
  excluded: count(),
  uptimeRatio: ratio().describe('up ÷ (up + down); `null` when no round was counted.'),
  incidentMinutes: z.number().min(0),
  maintenanceMinutes: z.number().min(0).describe('Minutes of the step in a maintenance window (its rounds are excluded, not up or down).'),
  worst: classificationSchema
    .nullable()
    .describe('The worst classification of the step (outage > masked_outage > regional_outage > degraded > unknown > operational); `null` without rounds.'),
  classifications: z.partialRecord(classificationSchema, count()).describe('Rounds per classification; only the ones seen.'),
  regions: z.record(z.string(), seriesRegionSchema).describe('Every region seen in the window, zeros where it has no check in this step.'),
});

/** `GET /v1/monitors/{id}/series`: a window ending now, step by step, oldest first, empty steps included. */
export const seriesReportSchema = z.object({
  window: uptimeWindowSchema,
  step: seriesStepSchema,
  from: isoTimeSchema.describe('Start of the first step.'),
  to: isoTimeSchema.describe('End of the last step (exclusive): the end of the current step.'),
  resolution: rollupResolutionSchema.describe("The window's resolution, as for uptime."),
  points: z.array(seriesPointSchema),
});
export type SeriesReport = z.output<typeof seriesReportSchema>;
export type SeriesPoint = z.output<typeof seriesPointSchema>;
export type RegionUptime = z.output<typeof regionUptimeSchema>;
export type LatencySummary = z.output<typeof latencySummarySchema>;
