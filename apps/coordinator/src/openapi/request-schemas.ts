import {
  incidentPolicySchema,
  MAX_MONITOR_NAME_LENGTH,
  MAX_REGIONS_PER_MONITOR,
  monitorSpecSchema,
  reconcilePolicySchema,
} from '@crosscheck/checks';
import { regionNameSchema, tokenInputSchema, webhookEventTypeSchema } from '@crosscheck/contract';
import { z } from 'zod';
import { MAX_INTERVAL_SECONDS } from '../monitors/monitor-input';
import { regionInputSchema } from '../regions/region-input';
import {
  DEFAULT_SECRET_OVERLAP_SECONDS,
  MAX_SECRET_OVERLAP_SECONDS,
  MAX_WEBHOOK_DESCRIPTION_LENGTH,
  MAX_WEBHOOK_URL_LENGTH,
} from '../webhooks/webhook-input';

/**
 * The request bodies the API takes, by component name, described from their input side (what
 * a client may send: defaults optional). `minIntervalSeconds` is the coordinator's floor on
 * `intervalSeconds`.
 */
export function requestSchemas(minIntervalSeconds: number) {
  const monitorInput = z
    .object({
      name: z.string().min(1).max(MAX_MONITOR_NAME_LENGTH).meta({ examples: ['Checkout API'] }),
      regions: z.array(regionNameSchema).min(1).max(MAX_REGIONS_PER_MONITOR).meta({ examples: [['eu-west', 'us-east']] }),
      intervalSeconds: z.number().int().min(minIntervalSeconds).max(MAX_INTERVAL_SECONDS).meta({ examples: [60] }),
      reconcile: reconcilePolicySchema.describe('How a round is reconciled (quorums). Left out: the defaults.'),
      incidents: incidentPolicySchema.describe('How incidents are confirmed (open after N rounds, resolve after M). Left out: the defaults.'),
      ...monitorSpecSchema.shape,
    })
    .strict()
    .describe('A monitor as written: name, regions and interval, plus every field of the monitor spec at the top level.');

  const webhookUrl = z
    .string()
    .max(MAX_WEBHOOK_URL_LENGTH)
    .describe(
      'http:// or https://, without credentials. Link-local and cloud metadata addresses are refused; loopback and private ones too unless the ' +
        'coordinator runs with `WEBHOOK_ALLOW_PRIVATE_TARGETS=true` (judged on the URL and on every address connected to).',
    )
    .meta({ format: 'uri', examples: ['https://hooks.example/crosscheck'] });
  const webhookEvents = z.array(webhookEventTypeSchema).min(1).describe('Event types to receive; every type when left out.');
  const webhookDescription = z.string().max(MAX_WEBHOOK_DESCRIPTION_LENGTH).nullable().meta({ examples: ['on-call pager'] });
  const isoTime = z.iso.datetime({ offset: true });

  return {
    MonitorInput: monitorInput,
    MonitorPatch: z
      .record(z.string(), z.unknown())
      .describe('A JSON Merge Patch (RFC 7396) of MonitorInput: `null` removes a field (its default applies again); arrays replace.')
      .meta({ examples: [{ intervalSeconds: 30, expect: { status: [200] } }] }),
    WebhookInput: z.object({ url: webhookUrl, events: webhookEvents.optional(), description: webhookDescription.optional() }).strict(),
    WebhookPatch: z
      .object({
        url: webhookUrl.optional(),
        events: webhookEvents.optional(),
        description: webhookDescription.optional(),
        enabled: z.boolean().optional().describe('`true` re-enables a disabled endpoint (and closes its circuit); `false` disables it.'),
      })
      .strict(),
    WebhookReplayInput: z
      .object({ since: isoTime.meta({ examples: ['2026-11-25T09:00:00Z'] }), until: isoTime.optional().describe('Default: now.') })
      .strict(),
    WebhookSecretRotationInput: z
      .object({
        overlapSeconds: z
          .number()
          .int()
          .min(0)
          .max(MAX_SECRET_OVERLAP_SECONDS)
          .default(DEFAULT_SECRET_OVERLAP_SECONDS)
          .describe('How long the old secret also signs (a second `v1,` signature in `webhook-signature`); 0 stops it at once.'),
      })
      .strict(),
    TokenInput: tokenInputSchema,
    RegionInput: regionInputSchema,
  } satisfies Record<string, z.ZodType>;
}

/** The name of a request body's component. */
export type RequestSchemaName = keyof ReturnType<typeof requestSchemas>;
