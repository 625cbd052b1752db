import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { notFound, problem, validationFailed } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { DeliveryAttempt } from './webhook-delivery';
import type { CreatedWebhookEndpoint, StoredWebhookEndpoint, WebhookEndpoint } from './webhook-endpoint';
import { WebhookEventSink, type TestDelivery } from './webhook-event-sink';
import { isWebhookId, newWebhookId } from './webhook-id';
import { InvalidWebhookError, parseWebhookInput, parseWebhookPatch, type WebhookInput, type WebhookPatch } from './webhook-input';
import { newWebhookSecret } from './webhook-signature';
import { WebhooksRepository, type WebhookPage } from './webhooks.repository';

/** Webhook endpoint use cases: validate, store, test, and show deliveries. */
@Injectable()
export class WebhooksService {
  private readonly logger: Logger;

  constructor(
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(WebhookEventSink) private readonly sink: WebhookEventSink,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'webhooks' });
  }

  /** Creates an endpoint with a new signing secret, which only this answer shows. */
  async create(body: unknown): Promise<CreatedWebhookEndpoint> {
    const input = validate(() => parseWebhookInput(body));
    const now = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const endpoint = newEndpoint(newWebhookId(this.clock.now()), input, now);
      const secret = newWebhookSecret();
      if (!(await this.repository.create(endpoint, secret))) continue; // 50 random bits collided: draw again
      this.logger.info({ webhookId: endpoint.id, events: endpoint.events }, 'webhook endpoint created');
      return { ...endpoint, secret };
    }
    throw new Error('could not allocate a webhook id');
  }

  async list(limit: number, cursor?: string): Promise<WebhookPage> {
    return this.repository.list(limit, cursor);
  }

  async get(webhookId: string): Promise<WebhookEndpoint> {
    return (await this.find(webhookId)).endpoint;
  }

  /** Changes the fields given; `enabled: true` re-enables an endpoint disabled by a 410. */
  async patch(webhookId: string, body: unknown): Promise<WebhookEndpoint> {
    const patch: WebhookPatch = validate(() => parseWebhookPatch(body));
    const { endpoint: current } = await this.find(webhookId);
    const updated: WebhookEndpoint = {
      ...current,
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: patch.events } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      updatedAt: new Date(this.clock.now()).toISOString(),
    };
    if (!(await this.repository.update(updated, patch.enabled))) throw notFound(`webhook ${webhookId} not found`);
    this.logger.info({ webhookId, fields: Object.keys(patch) }, 'webhook endpoint updated');
    return this.get(webhookId);
  }

  async delete(webhookId: string): Promise<void> {
    if (!isWebhookId(webhookId) || !(await this.repository.delete(webhookId))) throw notFound(`webhook ${webhookId} not found`);
    // Deliveries still queued for it find it gone and end without sending.
    this.logger.info({ webhookId }, 'webhook endpoint deleted');
  }

  /** Queues a `webhook.test` event to the endpoint. A disabled endpoint is refused (409): enable it first. */
  async test(webhookId: string): Promise<TestDelivery> {
    const { endpoint } = await this.find(webhookId);
    if (!endpoint.enabled) {
      throw new HttpException(
        problem(HttpStatus.CONFLICT, `webhook ${webhookId} is disabled (${endpoint.disabledReason ?? 'no reason recorded'}); enable it with PATCH {"enabled":true} first`),
        HttpStatus.CONFLICT,
      );
    }
    return this.sink.publishTest(endpoint);
  }

  /** The endpoint's newest delivery attempts, newest first. */
  async deliveries(webhookId: string, limit: number): Promise<{ items: DeliveryAttempt[] }> {
    await this.find(webhookId);
    return { items: await this.repository.deliveries(webhookId, limit) };
  }

  private async find(webhookId: string): Promise<StoredWebhookEndpoint> {
    const stored = isWebhookId(webhookId) ? await this.repository.get(webhookId) : null;
    if (!stored) throw notFound(`webhook ${webhookId} not found`);
    return stored;
  }
}

function newEndpoint(id: string, input: WebhookInput, now: string): WebhookEndpoint {
  return {
    id,
    url: input.url,
    events: input.events,
    description: input.description,
    enabled: true,
    disabledReason: null,
    disabledAt: null,
    createdAt: now,
    updatedAt: now,
  };
}

function validate<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidWebhookError) throw validationFailed('invalid webhook', error.issues);
    throw error;
  }
}
