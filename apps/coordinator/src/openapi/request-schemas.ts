import {
  applyLockRenewalSchema,
  applyLockRequestSchema,
  channelInputSchema,
  channelPatchInputSchema,
  policyInputSchema,
  DEFAULT_SECRET_OVERLAP_SECONDS,
  maintenanceInputSchema,
  monitorInputSchema,
  statusPageInputSchema,
  tokenInputSchema,
  webhookInputSchema,
  webhookPatchInputSchema,
  webhookReplayInputSchema,
  webhookSecretRotationInputSchema,
} from '@crosscheck/contract';
import { z } from 'zod';
import { acknowledgementInputSchema } from '../incidents/acknowledgement-input';
import { regionInputSchema } from '../regions/region-input';

/**
 * The request bodies the API takes, by component name: the schemas the server validates with,
 * described from their input side (what a client may send: defaults optional).
 * `minIntervalSeconds` is this coordinator's floor on `intervalSeconds`.
 */
export function requestSchemas(minIntervalSeconds: number) {
  return {
    MonitorInput: monitorInputSchema(minIntervalSeconds),
    MonitorPatch: z
      .record(z.string(), z.unknown())
      .describe('A JSON Merge Patch (RFC 7396) of MonitorInput: `null` removes a field (its default applies again); arrays replace.')
      .meta({ examples: [{ intervalSeconds: 30, expect: { status: [200] } }] }),
    WebhookInput: webhookInputSchema,
    WebhookPatch: webhookPatchInputSchema.describe(
      'The fields to change; `enabled: true` re-enables a disabled endpoint (and closes its circuit), `false` disables it.',
    ),
    WebhookReplayInput: webhookReplayInputSchema.describe('Dead letters queued in [since, until] (ISO 8601; `until` defaults to now).'),
    WebhookSecretRotationInput: webhookSecretRotationInputSchema.describe(
      `\`overlapSeconds\`: how long the old secret also signs (default ${DEFAULT_SECRET_OVERLAP_SECONDS}); 0 stops it at once.`,
    ),
    ChannelInput: channelInputSchema.describe('A notification channel: its `type` (pagerduty, slack, teams, email, webhook), a name, and the type\'s own settings and secrets.'),
    ChannelPatch: channelPatchInputSchema,
    ChannelPreviewInput: z.object({ event: z.enum(['incident.opened', 'incident.updated', 'incident.resolved', 'incident.reminder', 'region.blind', 'region.restored', 'maintenance.started', 'maintenance.ended']).optional() }).strict().describe('Which sample event to render (default `incident.opened`: a masked outage).'),
    PolicyInput: policyInputSchema.describe('A notification policy: what it matches (labels, severities, event types), the channels it routes to, and its reminders and escalation.'),
    StatusPageInput: statusPageInputSchema.describe('A status page: its public slug and title, and the monitors it shows, by id, in order.'),
    StatusPagePatch: z
      .record(z.string(), z.unknown())
      .describe('A JSON Merge Patch (RFC 7396) of StatusPageInput: `null` removes a field (`description`); arrays (`monitorIds`) replace.')
      .meta({ examples: [{ title: 'Acme status', monitorIds: ['mon_2b4kq7xa3dhv6mnpz2re'] }] }),
    MaintenanceInput: maintenanceInputSchema.describe(
      'A maintenance window: the monitors it covers (`monitorIds` or `labels`), when (one-off `startsAt`/`endsAt` or `durationMinutes`; recurring by `rrule` or `cron` with `durationMinutes` each), and why.',
    ),
    MaintenancePatch: z
      .record(z.string(), z.unknown())
      .describe('A JSON Merge Patch (RFC 7396) of MaintenanceInput as the window shows it: `null` removes a field; arrays replace.')
      .meta({ examples: [{ reason: 'Database upgrade, extended', endsAt: '2026-11-25T04:00:00Z' }] }),
    ApplyLockInput: applyLockRequestSchema.describe('Who takes the lock (shown to whoever finds it held) and its lease in seconds.'),
    ApplyLockRenewal: applyLockRenewalSchema,
    TokenInput: tokenInputSchema,
    RegionInput: regionInputSchema,
    IncidentAcknowledgementInput: acknowledgementInputSchema.describe('Who acknowledges (a person, a rota, a tool); the body may be left out.'),
  } satisfies Record<string, z.ZodType>;
}

/** The name of a request body's component. */
export type RequestSchemaName = keyof ReturnType<typeof requestSchemas>;
