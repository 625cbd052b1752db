import { baselineSchema } from '@crosscheck/checks';
import { z } from 'zod';
import { observationSummarySchema } from '../check-result';
import { isoTimeSchema } from './common';
import { classificationSummarySchema, incidentSchema } from './incident';
import { causeSchema, expectationResultSchema, keyEvidenceSchema, regionStatusSchema } from './verdict';

/** What one region reported for a round, or why it reported nothing. */
export const regionReportSchema = z.object({
  status: regionStatusSchema,
  causes: z.array(causeSchema),
  evidence: keyEvidenceSchema.nullable().describe('The verdict\'s key evidence; `null` when missing.'),
  agentId: z.string().nullable(),
  agentVersion: z.string().nullable(),
  checkedAt: isoTimeSchema.nullable().describe('When the agent finished the check; `null` when missing.'),
  reason: z.string().optional().describe('Why the region is missing (never `down`): e.g. no live agent.'),
  truncated: z
    .literal(true)
    .optional()
    .describe('The result was over 16 KiB as stored and was cut harder: shorter texts, fewer expectations, one cause per code and severity.'),
});

/** The latest finalized round of a monitor. */
export const roundViewSchema = z.object({
  roundId: z.string(),
  scheduledAt: isoTimeSchema,
  deadline: isoTimeSchema,
  finalizedAt: isoTimeSchema,
  finalizedBy: z.enum(['all_answered', 'deadline']),
  complete: z.boolean().describe('Every expected region answered.'),
});

/** `GET /v1/monitors/{id}/status`: the latest finalized round, region by region. */
export const monitorStatusSchema = z.object({
  monitorId: z.string(),
  round: roundViewSchema.nullable().describe('The latest finalized round; `null` before the first one is finalized.'),
  regions: z
    .record(z.string(), regionReportSchema)
    .describe("Every region the monitor checks from, by name. Regions absent from the latest round are 'missing' with a reason."),
  classification: classificationSummarySchema.nullable().describe('The latest applied round, reconciled; `null` before the first.'),
  incident: incidentSchema.nullable().describe('The open incident; `null` when none is open.'),
});
export type MonitorStatusView = z.output<typeof monitorStatusSchema>;

/** `GET /v1/monitors/{id}/baselines`: what each region learned a healthy response looks like. */
export const monitorBaselinesSchema = z.object({
  monitorId: z.string(),
  regions: z
    .record(z.string(), baselineSchema.nullable())
    .describe(
      'Every region the monitor checks from, by name: its learned baseline (the healthy response\'s fingerprint, how its validators move, the latest round\'s validators), or `null` before the first round that taught one. A baseline judges nothing before `rounds` reaches the spec\'s `baseline.learnRounds`.',
    ),
});
export type MonitorBaselinesView = z.output<typeof monitorBaselinesSchema>;

/** How a result's expectations went: only the failed ones are kept, the others counted. */
export const expectationCountsSchema = z.object({
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  notEvaluated: z.number().int().min(0).describe('Not evaluated, e.g. body expectations on a 304.'),
});

/** One entry of `GET /v1/monitors/{id}/results`: one region's answer to one round, or its absence. */
export const resultEntrySchema = regionReportSchema.extend({
  roundId: z.string(),
  region: z.string(),
  scheduledAt: isoTimeSchema,
  startedAt: isoTimeSchema.nullable(),
  recordedAt: isoTimeSchema.describe('When this coordinator recorded it; `since`/`until` filter on this.'),
  late: z.boolean().describe('Arrived after its round was finalized (counted missing there).'),
  expectations: z
    .array(expectationResultSchema)
    .optional()
    .describe('The FAILED expectations of the verdict, texts cut to 256 characters (the others are counted in expectationCounts).'),
  expectationCounts: expectationCountsSchema.optional(),
  droppedCauses: z.number().int().min(0).optional().describe('Causes dropped by a hard cut (each code and severity keeps its first).'),
  observation: observationSummarySchema.optional().describe('What the probe saw (headers that matter, timings); the body was judged at the agent.'),
  compact: z
    .literal(true)
    .optional()
    .describe(
      "An `up` result with the same status and cause codes as its region's previous one, stored compact: causes with code and severity only, " +
        "no expectations (counted) and no observation. The region's latest full entry has the rest.",
    ),
});
export type ResultEntryView = z.output<typeof resultEntrySchema>;

/** `GET /v1/monitors/{id}/results`: newest first. */
export const resultPageSchema = z.object({
  items: z.array(resultEntrySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for older entries; `null` on the last page.'),
});
