import { WEBHOOK_EVENT_COMPONENTS } from '@crosscheck/contract';
import { schemaRef } from './schema-ref';

/** The Standard Webhooks headers every delivery carries. */
const STANDARD_WEBHOOKS_HEADERS = {
  'webhook-id': {
    required: true,
    description: "The event's id: the same on every attempt, retry and replay of it, to every endpoint. Deduplicate on it.",
    schema: { type: 'string', examples: ['evt_mon_23ocd2bqb2n2g4vyifld_1795598126128_incident.opened'] },
  },
  'webhook-timestamp': {
    required: true,
    description: 'Seconds since the epoch when this attempt was signed. Refuse deliveries too far from your clock (5 minutes).',
    schema: { type: 'string', pattern: '^[0-9]+$', examples: ['1795598126'] },
  },
  'webhook-signature': {
    required: true,
    description:
      'Space-separated `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64-decoded part of the ' +
      "endpoint's `whsec_` secret. During a secret rotation's overlap a second signature, by the previous secret, follows.",
    schema: { type: 'string', examples: ['v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='] },
  },
} as const;

/** The answers a receiver may give, and what the coordinator makes of them. */
const RECEIVER_RESPONSES = {
  '2XX': { description: 'Delivered: no further attempt.' },
  '410': { description: 'Gone: the endpoint is disabled (no further deliveries until it is enabled again).' },
  default: { description: 'Any other answer, or none within the timeout: retried with exponential backoff and jitter, then a dead letter.' },
} as const;

/**
 * The document's `webhooks` (OpenAPI 3.1): one entry per event type, a POST to the endpoint's URL
 * whose body is the event's payload schema, signed by the Standard Webhooks headers.
 */
export function webhooksSection(): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const [type, component] of Object.entries(WEBHOOK_EVENT_COMPONENTS)) {
    section[type] = {
      post: {
        operationId: `webhook_${type.replace(/\./g, '_')}`,
        summary: `\`${type}\` delivered to a webhook endpoint`,
        tags: ['webhook events'],
        security: [],
        parameters: Object.entries(STANDARD_WEBHOOKS_HEADERS).map(([name, header]) => ({ name, in: 'header', ...header })),
        requestBody: { required: true, content: { 'application/json': { schema: schemaRef(component) } } },
        responses: RECEIVER_RESPONSES,
      },
    };
  }
  return section;
}
