import { monitorSpecSchema } from '@crosscheck/checks';
import { MAX_MONITOR_CHANNELS, monitorEnvelopeSchema, resourceKeySchema, webhookPatchSchema } from '@crosscheck/contract';
import { z } from 'zod';
import { CONFIG_FILE_VERSION } from './config-file';
import { channelEntrySchema, channelKeysSchema, maintenanceEntrySchema, OFFLINE_MIN_INTERVAL_SECONDS, policyEntrySchema, regionEntrySchema, statusPageEntrySchema } from './resource-validation';

/** Where the published schema lives in the repository (`crosscheck schema` prints the same). */
export const CONFIG_FILE_SCHEMA_PATH = 'docs/crosscheck.schema.json';

/**
 * The configuration file as one zod schema, built from the API's own schemas (the monitor
 * envelope and spec, the webhook body, the status page body, region names, resource keys), for
 * editors: a monitor entry is the monitor API body with `key` required; a webhook entry is the
 * webhook body with `key` and `url` required; a status page entry is the status page body with
 * `key` required and its monitors named by key (`monitors`) instead of by id; a maintenance window
 * entry is the maintenance body likewise, with `startsAt` required too; a channel entry is the
 * channel body with `key` required and its secrets as `${ENV}` references; a policy entry is the
 * policy body with `key` required and its channels by key. A monitor names its channels by key too.
 */
function configFileSchema() {
  const envelope = monitorEnvelopeSchema(OFFLINE_MIN_INTERVAL_SECONDS);
  const monitor = z
    .strictObject({
      ...envelope.shape,
      ...monitorSpecSchema.shape,
      key: resourceKeySchema,
      channels: channelKeysSchema(MAX_MONITOR_CHANNELS).optional().describe('Channels that get every event of this monitor, besides what policies route: by channel key'),
    })
    .describe('A monitor: the body of POST /v1/monitors, addressed by its key');
  const patch = webhookPatchSchema(null);
  const webhook = z
    .strictObject({ ...patch.shape, key: resourceKeySchema, url: patch.shape.url.unwrap() })
    .describe('A webhook endpoint, addressed by its key; events default to every type, enabled to true');
  return z
    .strictObject({
      $schema: z.string().optional().describe('This schema, for editor completion'),
      version: z.literal(CONFIG_FILE_VERSION).describe('Version of the file format'),
      regions: z.array(regionEntrySchema.describe('A region an operator keeps (agents connect to it)')).optional(),
      monitors: z.array(monitor).optional(),
      webhooks: z.array(webhook).optional(),
      channels: z
        .array(channelEntrySchema().describe('A notification channel (PagerDuty, Slack, Teams, email, webhook), addressed by its key; its secrets as ${ENV} references'))
        .optional(),
      policies: z
        .array(policyEntrySchema().describe('A notification policy (which events go to which channels, reminders, escalation), addressed by its key; its channels by channel key'))
        .optional(),
      statusPages: z
        .array(statusPageEntrySchema.describe('A public status page (/status/<slug>), addressed by its key; its monitors by monitor key'))
        .optional(),
      maintenance: z
        .array(maintenanceEntrySchema.describe('A maintenance window (no incident opens, nothing pages), addressed by its key; its monitors by monitor key, or labels'))
        .optional(),
    })
    .describe('Crosscheck configuration: monitors, webhooks, channels, policies, status pages, maintenance windows and regions as code (crosscheck plan / apply)');
}

/** The JSON Schema (draft 2020-12) of configuration files, as committed at {@link CONFIG_FILE_SCHEMA_PATH}. */
export function configFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configFileSchema(), { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return { ...schema, title: 'Crosscheck configuration file' };
}

/** The schema file's text: stable key order, two-space indent, final newline. */
export function configFileJsonSchemaText(): string {
  return `${JSON.stringify(configFileJsonSchema(), null, 2)}\n`;
}
