import { z } from 'zod';
import { cursorPageSchema, isoTimeSchema, resourceIdSchema } from './common';
import { dryRunSchema } from './dry-run';
import { maintenanceLabelsSchema } from './maintenance-input';
import { monitorIdSchema } from './monitor';
import { presentedKeySchema } from './resource-key';

/** A maintenance window's id: `mw_` + 20 base-32 characters; ids sort by creation. */
export const maintenanceIdSchema = resourceIdSchema('mw', 'mw_23ocd2bqb2n2g4vyifld');

/** One occurrence of a window. */
export const maintenanceOccurrenceSchema = z.object({ startsAt: isoTimeSchema, endsAt: isoTimeSchema });
export type MaintenanceOccurrenceView = z.output<typeof maintenanceOccurrenceSchema>;

/** A maintenance window as the API shows it (`GET /v1/maintenance/{id}`, and the answer to every write). */
export const maintenanceSchema = z.object({
  id: maintenanceIdSchema,
  key: presentedKeySchema(maintenanceIdSchema).meta({ examples: ['sunday-patching'] }),
  revision: z.number().int().min(1).describe('1 on create, +1 per stored change: the `ETag` (`"2"`) to send back as `If-Match`.').meta({ examples: [2] }),
  kind: z.enum(['once', 'rrule', 'cron']).describe('One-off (`startsAt` to `endsAt`), or recurring by `rrule` or `cron`.'),
  monitorIds: z.array(monitorIdSchema).describe('The monitors it names (empty when it selects by labels).'),
  labels: maintenanceLabelsSchema.nullable().describe('The labels it selects monitors by (`null` when it names them).'),
  startsAt: isoTimeSchema.describe('When it starts; for a recurring window, when its rule starts applying.'),
  endsAt: isoTimeSchema.nullable().describe('When a one-off window ends; `null` for a recurring one (its rule ends it).'),
  durationMinutes: z.number().describe('How long it (each occurrence) lasts.'),
  rrule: z.string().nullable(),
  cron: z.string().nullable(),
  reason: z.string(),
  active: z.boolean().describe('An occurrence is in effect now.'),
  current: maintenanceOccurrenceSchema.nullable().describe('The occurrence in effect now.'),
  next: maintenanceOccurrenceSchema.nullable().describe('The next occurrence to start (within a year); `null` when none will.'),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type MaintenanceView = z.output<typeof maintenanceSchema>;

/** `GET /v1/maintenance`: windows in creation order. */
export const maintenancePageSchema = cursorPageSchema(maintenanceSchema);
export type MaintenancePageView = z.output<typeof maintenancePageSchema>;

/** What a maintenance write with `?dryRun=true` answers: nothing stored. */
export const maintenanceDryRunSchema = dryRunSchema(maintenanceSchema).describe(
  'What a write with `?dryRun=true` would do: validated in full, nothing stored. `changes` compares `{key, monitorIds, labels, startsAt, endsAt, durationMinutes, rrule, cron, reason}`.',
);

/** What `PUT` and `PATCH /v1/maintenance/{id}` answer. */
export const maintenanceWriteSchema = z
  .union([maintenanceSchema, maintenanceDryRunSchema])
  .describe('The window as written (`ETag` its revision); with `?dryRun=true`, a `MaintenanceDryRun`.');

/** Event types of maintenance windows (subscribable by webhooks that ask for them). */
export const MAINTENANCE_EVENT_TYPES = ['maintenance.started', 'maintenance.ended'] as const;
export type MaintenanceEventType = (typeof MAINTENANCE_EVENT_TYPES)[number];

/** `data` of `maintenance.started` and `maintenance.ended`: the window and the occurrence. */
export const maintenanceEventDataSchema = z.object({
  maintenance: z.object({
    id: maintenanceIdSchema,
    key: z.string(),
    reason: z.string(),
    kind: z.enum(['once', 'rrule', 'cron']),
    monitorIds: z.array(monitorIdSchema),
    labels: maintenanceLabelsSchema.nullable(),
    url: z.string().meta({ examples: ['/v1/maintenance/mw_23ocd2bqb2n2g4vyifld'] }),
  }),
  occurrence: maintenanceOccurrenceSchema,
});
export type MaintenanceEventData = z.output<typeof maintenanceEventDataSchema>;

/** An incident's maintenance mark: the window its monitor's rounds are in while it is open. */
export const incidentMaintenanceSchema = z
  .object({
    windowId: z.string(),
    since: isoTimeSchema.describe('The first round in the window.'),
    reason: z.string(),
  })
  .describe('Set while the monitor is in a maintenance window: the incident stays open, nothing about it is sent but its resolution.');

/** The timeline entry of an open incident entering or leaving a maintenance window. */
export const maintenanceEntrySchema = z
  .object({
    type: z.enum(['maintenance.entered', 'maintenance.left']),
    at: isoTimeSchema.describe("The round's scheduled time."),
    roundId: z.string(),
    windowId: z.string(),
    reason: z.string(),
  })
  .describe('The incident entered or left a maintenance window of its monitor (no event is sent for it).');
