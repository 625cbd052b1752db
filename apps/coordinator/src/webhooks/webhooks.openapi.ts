import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { MAX_WEBHOOK_DESCRIPTION_LENGTH, MAX_WEBHOOK_URL_LENGTH } from './webhook-input';
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
        description: 'http:// or https://, without credentials. Link-local and cloud metadata addresses are refused; loopback and private ones are allowed.',
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
      enabled: { type: 'boolean', description: '`true` re-enables an endpoint disabled by a 410; `false` disables it.' },
    },
  };

  const webhook: SchemaObject = {
    type: 'object',
    required: ['id', 'url', 'events', 'description', 'enabled', 'disabledReason', 'disabledAt', 'createdAt', 'updatedAt'],
    properties: {
      id: webhookId,
      url: { type: 'string', example: 'https://hooks.example/crosscheck' },
      events: { type: 'array', items: eventTypes },
      description: { type: 'string', nullable: true },
      enabled: { type: 'boolean', description: '`false` once the receiver answered 410 Gone (or after PATCH `{"enabled":false}`).' },
      disabledReason: { type: 'string', nullable: true, example: null },
      disabledAt: { ...isoTime, nullable: true },
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

  const webhookPage: SchemaObject = {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: {
      items: { type: 'array', items: { $ref: '#/components/schemas/Webhook' } },
      nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; `null` on the last.' },
    },
  };

  const deliveryAttempt: SchemaObject = {
    type: 'object',
    required: ['deliveryId', 'eventId', 'type', 'attempt', 'at', 'status', 'durationMs', 'error', 'outcome'],
    properties: {
      deliveryId: { type: 'string', description: 'One event to one endpoint (`<eventId>-<webhookId>`).' },
      eventId: { type: 'string', description: 'The `webhook-id` header: the same on every attempt.' },
      type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE] },
      attempt: { type: 'integer', minimum: 1 },
      at: isoTime,
      status: { type: 'integer', nullable: true, description: 'HTTP status; `null` when no response came.' },
      durationMs: { type: 'integer' },
      error: { type: 'string', nullable: true, example: 'HTTP 500' },
      outcome: {
        type: 'string',
        enum: ['succeeded', 'retrying', 'failed', 'disabled'],
        description: '`retrying`: another attempt follows; `failed`: the last attempt; `disabled`: 410 Gone.',
      },
    },
  };

  const deliveryPage: SchemaObject = {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', maxItems: DELIVERY_HISTORY_MAX, items: { $ref: '#/components/schemas/WebhookDeliveryAttempt' } } },
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
    WebhookDeliveryPage: deliveryPage,
    WebhookTestDelivery: testDelivery,
  };
}
