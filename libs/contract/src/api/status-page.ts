import { z } from 'zod';
import { cursorPageSchema, isoTimeSchema, resourceIdSchema } from './common';
import { dryRunSchema } from './dry-run';
import { monitorIdSchema } from './monitor';
import { presentedKeySchema } from './resource-key';
import { statusPageSlugSchema } from './status-page-input';

/** A status page's id: `sp_` + 20 base-32 characters; ids sort by creation. */
export const statusPageIdSchema = resourceIdSchema('sp', 'sp_23ocd2bqb2n2g4vyifld');

/** A status page as the API shows it (`GET /v1/status-pages/{id}`, and the answer to every write). */
export const statusPageSchema = z.object({
  id: statusPageIdSchema,
  key: presentedKeySchema(statusPageIdSchema).meta({ examples: ['public'] }),
  revision: z.number().int().min(1).describe('1 on create, +1 per stored change: the `ETag` (`"2"`) to send back as `If-Match`.').meta({ examples: [2] }),
  slug: statusPageSlugSchema.describe('The page is public at `/status/<slug>` (HTML) and `/status/<slug>.json`.'),
  title: z.string().meta({ examples: ['Acme status'] }),
  description: z.string().nullable(),
  monitorIds: z
    .array(monitorIdSchema)
    .describe('The monitors it shows, in this order. A deleted monitor leaves every page it was on: only monitors that exist are listed.'),
  publicUrl: z.string().describe('Where the page is, without a token (relative to the coordinator).').meta({ examples: ['/status/acme'] }),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type StatusPageView = z.output<typeof statusPageSchema>;

/** `GET /v1/status-pages`: pages in creation order. */
export const statusPagePageSchema = cursorPageSchema(statusPageSchema);
export type StatusPagePageView = z.output<typeof statusPagePageSchema>;

/** What a status page write with `?dryRun=true` answers: nothing stored. */
export const statusPageDryRunSchema = dryRunSchema(statusPageSchema).describe(
  'What a write with `?dryRun=true` would do: validated in full, nothing stored. `changes` compares `{key, slug, title, description, monitorIds}`.',
);

/** What `PUT` and `PATCH /v1/status-pages/{id}` answer: the page written, or, as a dry run, what writing would do. */
export const statusPageWriteSchema = z
  .union([statusPageSchema, statusPageDryRunSchema])
  .describe('The page as written (`ETag` its revision); with `?dryRun=true`, a `StatusPageDryRun`.');

/**
 * A state as a customer reads it, from the classification of a monitor's latest round (or an
 * incident's): `operational`; `degraded_performance` (degraded); `partial_outage` (a regional
 * outage); `major_outage` (an outage, masked by a cache or not); `unknown` (too few regions answered,
 * or no round yet).
 */
export const PUBLIC_STATES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'unknown'] as const;
export const publicStateSchema = z.enum(PUBLIC_STATES);
export type PublicState = z.output<typeof publicStateSchema>;

/** One day of a monitor's 90-day bars. */
export const publicDaySchema = z.object({
  date: z.iso.date().describe('The UTC day.').meta({ examples: ['2026-11-25'] }),
  state: z
    .enum([...PUBLIC_STATES, 'no_data'])
    .describe('The worst state seen that day (`no_data`: no round counted).'),
  uptimeRatio: z.number().min(0).max(1).nullable().describe('Up (and degraded) rounds over counted rounds; `null` with no data.'),
  label: z.string().describe('The day in words: the bar’s text alternative.').meta({ examples: ['25 Nov 2026: 99.31% uptime, partial outage'] }),
});

/** An incident as a customer sees it: what, when, where; no evidence. */
export const publicIncidentSchema = z.object({
  state: z.enum(['open', 'resolved']),
  classification: publicStateSchema.exclude(['operational', 'unknown']),
  label: z.string().describe('The classification in words.').meta({ examples: ['Major outage'] }),
  summary: z.string().describe('What customers saw, in a sentence.').meta({ examples: ['The service was unavailable from every region.'] }),
  startedAt: isoTimeSchema,
  resolvedAt: isoTimeSchema.nullable(),
  affectedRegions: z.array(z.string()),
});
export type PublicIncident = z.output<typeof publicIncidentSchema>;

/** A maintenance window of a monitor as a public page shows it: when, and what, in words. */
export const publicMaintenanceSchema = z.object({
  state: z.enum(['active', 'upcoming']),
  startsAt: isoTimeSchema,
  endsAt: isoTimeSchema,
  label: z.string().describe('The window in words.').meta({ examples: ['Under maintenance until 25 Nov 2026, 04:00 UTC: Database upgrade'] }),
});
export type PublicMaintenance = z.output<typeof publicMaintenanceSchema>;

/** One monitor of a public page. */
export const publicMonitorSchema = z.object({
  name: z.string(),
  state: publicStateSchema,
  label: z.string().describe('The state in words.').meta({ examples: ['Operational'] }),
  detail: z.string().nullable().describe('More words on the state, when there is more to say (the regions affected).'),
  uptime: z.object({
    window: z.literal('90d'),
    ratio: z.number().min(0).max(1).nullable().describe('`null` while no round was counted.'),
    percent: z.string().nullable().describe('The ratio as shown, rounded down (99.999% never reads 100%).').meta({ examples: ['99.95%'] }),
  }),
  days: z.array(publicDaySchema).describe('The last 90 UTC days, oldest first, today last.'),
  incidents: z.array(publicIncidentSchema).describe('Open and past incidents of the last 90 days, newest first (at most 10).'),
  maintenance: z
    .array(publicMaintenanceSchema)
    .optional()
    .describe('Its maintenance windows in effect now or starting within 7 days, soonest first; absent when there is none. In effect, the `label` reads "Under maintenance".'),
});
export type PublicMonitor = z.output<typeof publicMonitorSchema>;

/** `GET /status/{slug}.json`: a status page as anyone may read it. No target, address, header or evidence. */
export const publicStatusPageSchema = z.object({
  slug: statusPageSlugSchema,
  title: z.string(),
  description: z.string().nullable(),
  status: z.object({ state: publicStateSchema, label: z.string().meta({ examples: ['All systems operational'] }) }).describe('The worst state of its monitors.'),
  monitors: z.array(publicMonitorSchema),
  generatedAt: isoTimeSchema,
});
export type PublicStatusPage = z.output<typeof publicStatusPageSchema>;

/** `GET /status/{slug}`: the page as HTML, for people (works without JavaScript). */
export const statusPageHtmlSchema = z.string().meta({ description: 'An HTML document (`text/html; charset=utf-8`).' });
