import { CAUSE_CODES } from '@crosscheck/checks';
import { z } from 'zod';
import { isoTimeSchema } from './common';
import { causeDigestSchema, classificationSummarySchema, incidentSchema, regionReadingSchema } from './incident';
import { monitorIdSchema } from './monitor';
import { presentedKeySchema } from './resource-key';
import { roundViewSchema } from './results';
import { regionStatusSchema } from './verdict';

/**
 * One region of one monitor in `GET /v1/status`: its verdict in the latest finalized round, the
 * cause that weighs most, and the few facts that tell a cached 200 from a fresh one. Every field is
 * present; `null` means not known or not applicable.
 */
export const fleetRegionSchema = z
  .object({
    status: regionStatusSchema,
    reading: regionReadingSchema.describe(
      'How reconcile reads the answer: `down_behind_cache` is a cached 200 users got while the cache-bypassing request saw the origin fail.',
    ),
    affected: z.boolean().describe("The latest classification is about this region (it is among the classification's `affectedRegions`)."),
    mainCause: causeDigestSchema
      .nullable()
      .describe('The cause that weighs most (down, then degraded, then info; the first of them); `null` when the verdict has none.'),
    causes: z.array(z.enum(CAUSE_CODES)).describe("Every cause code of the verdict, in the verdict's order, without repeats."),
    httpStatus: z.number().int().nullable().describe('Status users got; `null` when no response came or the region is missing.'),
    totalMs: z.number().nullable(),
    cacheHit: z.boolean().nullable().describe('Whether the answer came from a cache; `null` when the region did not answer.'),
    ageSeconds: z.number().nullable().describe('`Age` of the cached answer, when a cache said.'),
    bypassStatus: z.number().int().nullable().describe('Status the cache-bypassing request got; `null` when none was made or it got no response.'),
    bypassError: z.string().nullable().describe('What the cache-bypassing request hit instead of a response (e.g. `connection_refused`).'),
    errorPageVendor: z.string().nullable().describe("Vendor of a proxy's own error page users got."),
    bypassErrorPageVendor: z.string().nullable().describe('Vendor of the error page the cache-bypassing request got behind a cache.'),
    probeError: z.string().nullable().describe('Error code of a probe that got no response.'),
    checkedAt: isoTimeSchema.nullable().describe('When the agent finished the check; `null` when missing.'),
    note: z.string().nullable().describe('Why the region is missing or refused, when known.'),
  })
  .describe("One region of a monitor in the latest finalized round: verdict, main cause, cache and bypass facts.");
export type FleetRegionView = z.output<typeof fleetRegionSchema>;

/** One monitor in `GET /v1/status`: what it is, how its latest round was classified, and every region's verdict. */
export const fleetMonitorSchema = z
  .object({
    monitorId: monitorIdSchema,
    key: presentedKeySchema(monitorIdSchema),
    name: z.string(),
    url: z.string().describe('URL userinfo redacted.'),
    intervalSeconds: z.number().int().min(1),
    round: roundViewSchema.nullable().describe('The latest finalized round; `null` before the first one is finalized.'),
    classification: classificationSummarySchema.nullable().describe('The latest applied round, reconciled; `null` before the first.'),
    incident: incidentSchema.nullable().describe('The open incident; `null` when none is open.'),
    regions: z
      .record(z.string(), fleetRegionSchema)
      .describe("Every region the monitor checks from, in the monitor's order. Regions absent from the latest round are 'missing' with a note."),
  })
  .describe('One monitor with its classification and the latest verdict of each region.');
export type FleetMonitorView = z.output<typeof fleetMonitorSchema>;

/** `GET /v1/status`: one page of monitors in creation order, each with its state, so a dashboard polls one request. */
export const fleetStatusSchema = z
  .object({
    items: z.array(fleetMonitorSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; `null` on the last.'),
    generatedAt: isoTimeSchema.describe('When this coordinator read the state.'),
  })
  .describe('One page of monitors, each with its classification, open incident and the latest verdict of every region.');
export type FleetStatusView = z.output<typeof fleetStatusSchema>;
