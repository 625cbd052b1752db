import { z } from 'zod';
import { CliFailure } from '../cli/cli-failure';

/*
 * What the CLI reads from the API, no more: loose objects (fields the CLI does not use pass
 * through untouched), so a coordinator that adds fields keeps working and one that lacks what the
 * CLI needs (an older one, without `key` or `revision`) is named as such instead of misread.
 */

const revision = z.number().int().min(1);

/** A monitor as the API shows it (secrets redacted). */
export const liveMonitorSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  revision,
  name: z.string(),
  regions: z.array(z.string()),
  intervalSeconds: z.number(),
  spec: z.looseObject({ url: z.string() }),
  /** What policies and maintenance windows select it by; a coordinator older than labels shows none. */
  labels: z.record(z.string(), z.string()).optional(),
  /** The channels it names directly, by id; a coordinator older than channels shows none. */
  channels: z.array(z.string()).optional(),
});
export type LiveMonitor = z.infer<typeof liveMonitorSchema>;

/** A webhook endpoint as the API shows it (never its secret). */
export const liveWebhookSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  revision,
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  enabled: z.boolean(),
});
export type LiveWebhook = z.infer<typeof liveWebhookSchema>;

/** A status page as the API shows it (its monitors by id: only those that exist). */
export const liveStatusPageSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  revision,
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  monitorIds: z.array(z.string()),
});
export type LiveStatusPage = z.infer<typeof liveStatusPageSchema>;

/** A maintenance window as the API shows it (its monitors by id: only those that exist). */
export const liveMaintenanceSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  revision,
  kind: z.enum(['once', 'rrule', 'cron']),
  monitorIds: z.array(z.string()),
  labels: z.record(z.string(), z.string()).nullable(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  durationMinutes: z.number(),
  rrule: z.string().nullable(),
  cron: z.string().nullable(),
  reason: z.string(),
});
export type LiveMaintenance = z.infer<typeof liveMaintenanceSchema>;

/** A notification channel as the API shows it: its settings, never its secrets (`secretHints`: the last 4 characters of each that is set). */
export const liveChannelSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  revision,
  type: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  routing: z.string(),
  settings: z.looseObject({ type: z.string() }),
  secretHints: z.record(z.string(), z.string()),
  enabled: z.boolean(),
});
export type LiveChannel = z.infer<typeof liveChannelSchema>;

/** A notification policy as the API shows it (its channels by id). */
export const livePolicySchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  revision,
  name: z.string(),
  description: z.string().nullable(),
  default: z.boolean(),
  enabled: z.boolean(),
  match: z.looseObject({
    labels: z.record(z.string(), z.string()).nullable(),
    severities: z.array(z.string()).nullable(),
    events: z.array(z.string()).nullable(),
  }),
  channels: z.array(z.string()),
  reminder: z.looseObject({ everyMinutes: z.number() }).nullable(),
  escalation: z.looseObject({ afterMinutes: z.number(), channels: z.array(z.string()) }).nullable(),
});
export type LivePolicy = z.infer<typeof livePolicySchema>;

/** A region of the registry. */
export const liveRegionSchema = z.looseObject({
  name: z.string(),
  managedBy: z.enum(['operator', 'monitors']),
  monitorCount: z.number(),
});
export type LiveRegion = z.infer<typeof liveRegionSchema>;

export const regionListSchema = z.looseObject({ items: z.array(liveRegionSchema) });

/** A page of a cursor-paged list. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item), nextCursor: z.string().nullable() });

/** One field a dry run would change. `secret`: the values are placeholders, compared server side. */
export const fieldChangeSchema = z.object({
  path: z.string(),
  /** Absent where the field is new (every field of a create). */
  before: z.unknown().optional(),
  /** Absent where the field goes. */
  after: z.unknown().optional(),
  secret: z.boolean().optional(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** The answer of `?dryRun=true`. */
export const dryRunSchema = z.looseObject({ dryRun: z.literal(true), changes: z.array(fieldChangeSchema) });

/** What an agent of a region needs, shown once by `POST /v1/regions` and `rotate-credentials`. */
export const agentCredentialsSchema = z.looseObject({
  region: z.string(),
  env: z.record(z.string(), z.string()),
  aclUser: z.string().optional(),
  managed: z.boolean(),
  aclSetuser: z.string().optional(),
});
export type AgentCredentials = z.infer<typeof agentCredentialsSchema>;

/** Parses an answer with `schema`, or fails naming the request and the first fields at fault. */
export function readAnswer<T extends z.ZodType>(schema: T, body: unknown, request: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new CliFailure(`${request} answered with a body this CLI does not understand (${fields}); is the coordinator older than the CLI?`);
}
