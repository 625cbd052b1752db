import { incidentPolicySchema, MAX_MONITOR_NAME_LENGTH, MAX_REGIONS_PER_MONITOR, monitorSpecSchema, reconcilePolicySchema } from '@crosscheck/checks';
import { z } from 'zod';
import { regionNameSchema } from '../region';
import { cursorPageSchema, isoTimeSchema, resourceIdSchema } from './common';
import { dryRunSchema } from './dry-run';
import { presentedKeySchema } from './resource-key';

/** A monitor's id: `mon_` + 20 base-32 characters; ids sort by creation time. */
export const monitorIdSchema = resourceIdSchema('mon', 'mon_2b4kq7xa3dhv6mnpz2re');

/** The monitor spec as the API shows it: every default applied. */
export const monitorSpecViewSchema = monitorSpecSchema.describe(
  'How to request the target and what healthy means (`@crosscheck/checks` monitor spec), every default applied.',
);

/** The reconcile policy as shown: defaults applied. */
export const reconcilePolicyViewSchema = reconcilePolicySchema.describe(
  'How a round is reconciled: `quorum` (share of the regions that must answer, else `unknown`), `minRegions` (floor on answers needed), ' +
    '`outageQuorum` (an `outage` needs more than this share of the answering regions down).',
);

/** The incident policy as shown: defaults applied. */
export const incidentPolicyViewSchema = incidentPolicySchema.describe(
  'How incidents are confirmed: `openAfter` (N consecutive unhealthy rounds to open), `resolveAfter` (M healthy rounds to resolve), ' +
    '`updateAfter` and `blindAfter`, `openOnDegraded`.',
);

/** A monitor as the API shows it (`GET /v1/monitors/{id}`, and the answer to every write). */
export const monitorSchema = z.object({
  id: monitorIdSchema,
  key: presentedKeySchema(monitorIdSchema).meta({ examples: ['checkout-api'] }),
  revision: z.number().int().min(1).describe('1 on create, +1 per stored change: the `ETag` (`"3"`) to send back as `If-Match`.').meta({ examples: [3] }),
  name: z.string().min(1).max(MAX_MONITOR_NAME_LENGTH).meta({ examples: ['Checkout API'] }),
  regions: z
    .array(regionNameSchema)
    .min(1)
    .max(MAX_REGIONS_PER_MONITOR)
    .describe('Regions that check this monitor; each round asks every one of them.')
    .meta({ examples: [['eu-west', 'us-east']] }),
  intervalSeconds: z.number().int().min(1).max(86_400).meta({ examples: [60] }),
  reconcile: reconcilePolicyViewSchema,
  incidents: incidentPolicyViewSchema,
  labels: z.record(z.string(), z.string()).describe('What policies and maintenance windows select it by; `{}` when none.').meta({ examples: [{ team: 'payments', env: 'prod' }] }),
  channels: z.array(z.string()).describe('Channels that get every event of this monitor, besides what policies route.'),
  spec: monitorSpecViewSchema,
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type MonitorView = z.output<typeof monitorSchema>;

/** `GET /v1/monitors`: monitors in creation order. */
export const monitorPageSchema = cursorPageSchema(monitorSchema);
export type MonitorPageView = z.output<typeof monitorPageSchema>;

/** What a monitor write with `?dryRun=true` answers: nothing stored, nothing scheduled. */
export const monitorDryRunSchema = dryRunSchema(monitorSchema).describe(
  'What a write with `?dryRun=true` would do: validated in full, nothing stored, nothing scheduled; `result` is the monitor as it would be shown.',
);

/** What `PUT` and `PATCH /v1/monitors/{id}` answer: the monitor written, or, as a dry run, what writing would do. */
export const monitorWriteSchema = z
  .union([monitorSchema, monitorDryRunSchema])
  .describe('The monitor as written (`ETag` its revision); with `?dryRun=true`, a `MonitorDryRun`.');
