import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { cursorPage } from '../openapi/openapi-schemas';
import { DEFAULT_SECRET_OVERLAP_SECONDS, MAX_SECRET_OVERLAP_SECONDS, MAX_WEBHOOK_DESCRIPTION_LENGTH, MAX_WEBHOOK_URL_LENGTH } from '@crosscheck/contract';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE } from './webhook-endpoint';
import { DELIVERY_HISTORY_MAX } from './webhooks.repository';

type WebhookSchemaName = keyof ReturnType<typeof webhookOpenApiSchemas>;

/** A `$ref` to one of {@link webhookOpenApiSchemas}, or to the app's `Problem`. */
export function webhookSchemaRef(name: WebhookSchemaName | 'Problem'): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

const isoTime = { type: 'string', format: 'date-time' } as const;
const eventTypes: SchemaObject = { type: 'string', enum: [...WEBHOOK_EVENT_TYPES], example: 'incident.opened' };
const webhookId: SchemaObject = { type: 'string', pattern: '^wh_[a-z2-7]{20}$', example: 'wh_23ocd2bqb2n2g4vyifld' };

/** The webhook API's schemas for the OpenAPI document (merged in by `setupOpenApi`). */
export function webhookOpenApiSchemas() {
  const webhookInput: SchemaObject = {
    type: 'object',
    required: ['url'],
    additionalProperties: false,
    properties: {
      url: {
        type: 'string',
        format: 'uri',
        maxLength: MAX_WEBHOOK_URL_LENGTH,
        description:
          'http:// or https://, without credentials. Link-local and cloud metadata addresses are refused; loopback and private ones too unless the coordinator runs with `WEBHOOK_ALLOW_PRIVATE_TARGETS=true` (judged on the URL and on every address connected to).',
        example: 'https://hooks.example/crosscheck',
      },
      events: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: eventTypes,
        description: 'Event types to receive; every type when left out.',
      },
      description: { type: 'string', maxLength: MAX_WEBHOOK_DESCRIPTION_LENGTH, nullable: true, example: 'on-call pager' },
    },
  };

  const webhookPatch: SchemaObject = {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...webhookInput.properties,
      enabled: { type: 'boolean', description: '`true` re-enables a disabled endpoint (and closes its circuit); `false` disables it.' },
    },
  };

  const webhook: SchemaObject = {
    type: 'object',
    required: [
      'id',
      'url',
      'events',
      'description',
      'enabled',
      'state',
      'disabledReason',
      'disabledAt',
      'circuit',
      'consecutiveFailures',
      'failingSince',
      'previousSecretExpiresAt',
      'createdAt',
      'updatedAt',
    ],
    properties: {
      id: webhookId,
      url: { type: 'string', example: 'https://hooks.example/crosscheck' },
      events: { type: 'array', items: eventTypes },
      description: { type: 'string', nullable: true },
      enabled: {
        type: 'boolean',
        description: '`false` once the receiver answered 410 Gone, failed continuously for `WEBHOOK_DISABLE_AFTER`, or after PATCH `{"enabled":false}`.',
      },
      state: { type: 'string', enum: ['enabled', 'disabled'] },
      disabledReason: { type: 'string', nullable: true, example: null },
      disabledAt: { ...isoTime, nullable: true },
      circuit: {
        type: 'string',
        enum: ['closed', 'open', 'half_open'],
        description: '`open`: deliveries wait (no attempt spent) until one probe may go; `half_open`: the probe is under way.',
      },
      consecutiveFailures: { type: 'integer', minimum: 0, description: 'Failed attempts since the last success.' },
      failingSince: { ...isoTime, nullable: true, description: 'First failure since the last success; `null` while healthy.' },
      previousSecretExpiresAt: { ...isoTime, nullable: true, description: 'Until when the secret replaced by the last rotation also signs.' },
      createdAt: isoTime,
      updatedAt: isoTime,
    },
  };

  const createdWebhook: SchemaObject = {
    allOf: [
      { $ref: '#/components/schemas/Webhook' },
      {
        type: 'object',
        required: ['secret'],
        properties: {
          secret: {
            type: 'string',
            pattern: '^whsec_[A-Za-z0-9+/=]+$',
            description: 'Signing secret (Standard Webhooks, `whsec_` + base64 of 32 random bytes). Shown only here: store it now.',
          },
        },
      },
    ],
  };

  const webhookPage = cursorPage('Webhook');

  const deliveryAttempt: SchemaObject = {
    type: 'object',
    required: ['deliveryId', 'eventId', 'type', 'attempt', 'at', 'status', 'durationMs', 'error', 'outcome', 'state', 'nextAttemptAt'],
    properties: {
      deliveryId: { type: 'string', description: 'One event to one endpoint (`<eventId>-<webhookId>`).' },
      eventId: { type: 'string', description: 'The `webhook-id` header: the same on every attempt, retry and replay.' },
      type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE] },
      attempt: { type: 'integer', minimum: 1, description: 'Within the current schedule (a retry or replay starts a fresh one).' },
      at: isoTime,
      status: { type: 'integer', nullable: true, description: 'HTTP status; `null` when no response came, or nothing was sent.' },
      durationMs: { type: 'integer' },
      error: { type: 'string', nullable: true, example: 'HTTP 500' },
      outcome: {
        type: 'string',
        enum: ['succeeded', 'retrying', 'failed', 'disabled', 'skipped'],
        description:
          '`retrying`: another attempt follows; `failed`: the schedule ran out (or the target is refused); `disabled`: this attempt disabled the endpoint (410 Gone, or failing too long); `skipped`: not sent, the endpoint is disabled.',
      },
      state: { type: 'string', enum: ['scheduled', 'delivered', 'dead'], description: 'The delivery after this attempt; `dead`: a dead letter, for retry or replay.' },
      nextAttemptAt: { ...isoTime, nullable: true, description: 'Earliest next attempt when `scheduled` (later if the circuit is open then).' },
    },
  };

  const endpointRecord: SchemaObject = {
    type: 'object',
    required: ['type', 'at', 'reason'],
    properties: {
      type: { type: 'string', enum: ['webhook.disabled', 'webhook.enabled'] },
      at: isoTime,
      reason: { type: 'string', example: 'the receiver answered 410 Gone on 2026-11-25T09:15:26.128Z (event evt_…)' },
    },
  };

  const deliveryPage: SchemaObject = {
    type: 'object',
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        maxItems: DELIVERY_HISTORY_MAX,
        description: 'Attempts, and the endpoint\'s changes of state (`type` `webhook.disabled` / `webhook.enabled`), newest first.',
        items: { oneOf: [{ $ref: '#/components/schemas/WebhookDeliveryAttempt' }, { $ref: '#/components/schemas/WebhookEndpointRecord' }] },
      },
    },
  };

  const delivery: SchemaObject = {
    type: 'object',
    required: ['deliveryId', 'eventId', 'type', 'state', 'attempts', 'createdAt', 'finishedAt', 'lastError'],
    properties: {
      deliveryId: { type: 'string' },
      eventId: { type: 'string' },
      type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE] },
      state: {
        type: 'string',
        enum: ['pending', 'scheduled', 'sending', 'delivered', 'dead'],
        description: '`scheduled`: waiting for its next attempt or for the circuit; `dead`: a dead letter (kept 30 days).',
      },
      attempts: { type: 'integer', minimum: 0, description: 'Attempts counted in its current schedule.' },
      createdAt: { ...isoTime, description: 'When it was queued; a replay\'s `since`/`until` compare with it.' },
      finishedAt: { ...isoTime, nullable: true },
      lastError: { type: 'string', nullable: true, example: 'HTTP 503' },
    },
  };

  const replayInput: SchemaObject = {
    type: 'object',
    required: ['since'],
    additionalProperties: false,
    properties: {
      since: { ...isoTime, example: '2026-11-25T09:00:00Z' },
      until: { ...isoTime, description: 'Default: now.' },
    },
  };

  const replay: SchemaObject = {
    type: 'object',
    required: ['replayed', 'expired'],
    properties: {
      replayed: { type: 'integer', minimum: 0, description: 'Dead letters queued again, with their original webhook-ids.' },
      expired: { type: 'integer', minimum: 0, description: 'Dead letters past their retention: no longer kept.' },
    },
  };

  const rotationInput: SchemaObject = {
    type: 'object',
    additionalProperties: false,
    properties: {
      overlapSeconds: {
        type: 'integer',
        minimum: 0,
        maximum: MAX_SECRET_OVERLAP_SECONDS,
        default: DEFAULT_SECRET_OVERLAP_SECONDS,
        description: 'How long the old secret also signs (a second `v1,` signature in `webhook-signature`); 0 stops it at once.',
      },
    },
  };

  const rotation: SchemaObject = {
    type: 'object',
    required: ['secret', 'previousSecretExpiresAt'],
    properties: {
      secret: { type: 'string', pattern: '^whsec_[A-Za-z0-9+/=]+$', description: 'The new signing secret. Shown only here.' },
      previousSecretExpiresAt: { ...isoTime, nullable: true },
    },
  };

  const testDelivery: SchemaObject = {
    type: 'object',
    required: ['eventId', 'deliveryId'],
    properties: { eventId: { type: 'string' }, deliveryId: { type: 'string' } },
  };

  return {
    WebhookInput: webhookInput,
    WebhookPatch: webhookPatch,
    Webhook: webhook,
    CreatedWebhook: createdWebhook,
    WebhookPage: webhookPage,
    WebhookDeliveryAttempt: deliveryAttempt,
    WebhookEndpointRecord: endpointRecord,
    WebhookDeliveryPage: deliveryPage,
    WebhookDelivery: delivery,
    WebhookReplayInput: replayInput,
    WebhookReplay: replay,
    WebhookSecretRotationInput: rotationInput,
    WebhookSecretRotation: rotation,
    WebhookTestDelivery: testDelivery,
  };
}
