import { HttpException, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { documentChanges } from '@crosscheck/contract';
import type { DryRun } from '../http/dry-run';
import { ifMatchAllows, preconditionFailed, type IfMatch } from '../http/if-match';
import { conflict, notFound, validationFailed } from '../http/problem';
import { keyToStore } from '../http/resource-key-rules';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { WebhookDeliveries, type ReplayResult } from './webhook-deliveries.service';
import type { Delivery, DeliveryLogEntry } from './webhook-delivery';
import type { CreatedWebhookEndpoint, RotatedSecret, WebhookEndpoint } from './webhook-endpoint';
import { WebhookEventSink, type TestDelivery } from './webhook-event-sink';
import { isWebhookId, newWebhookId } from './webhook-id';
import {
  InvalidWebhookError,
  parseReplayInput,
  parseRotationInput,
  parseWebhookInput,
  parseWebhookPatch,
  type WebhookInput,
  type WebhookPatch,
} from '@crosscheck/contract';
import { newWebhookSecret } from './webhook-signature';
import { WebhookTargetPolicy } from './webhook-target';
import { DISABLED_THROUGH_API, WebhooksRepository, type WebhookPage } from './webhooks.repository';

/** Updates retried this many times when another writer got there first, before answering 409. */
const UPDATE_ATTEMPTS = 5;

/** How a write is asked for: its precondition (`If-Match`), and whether it is a dry run. */
export interface WebhookWriteOptions {
  ifMatch: IfMatch | null;
  dryRun: boolean;
}

const NOT_DRY: WebhookWriteOptions = { ifMatch: null, dryRun: false };

/** How long deliveries are kept, for the message of a 404 on one. */
const KEPT = 'delivered deliveries are kept 24 h, dead letters 30 days';

/**
 * Webhook endpoint use cases: validate, store, test, rotate secrets, show deliveries, send them
 * again. An endpoint's key is claimed on create and never changes; changes are compare-and-set on
 * its revision, and take an If-Match (a stale one is a 412) and dry runs, as monitors do.
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap {
  private readonly logger: Logger;
  private readonly targets: WebhookTargetPolicy;

  constructor(
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(WebhookEventSink) private readonly sink: WebhookEventSink,
    @Inject(WebhookDeliveries) private readonly queued: WebhookDeliveries,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'webhooks' });
    this.targets = new WebhookTargetPolicy({ allowPrivate: config.webhookAllowPrivateTargets ?? false });
  }

  /** Seals any secret left in plaintext by an earlier version (or under a previous key), in the background. */
  onApplicationBootstrap(): void {
    this.repository.sealSecrets().then(
      ({ checked, unreadable }) => {
        this.logger.debug({ endpoints: checked }, 'webhook secrets checked at rest');
        for (const { webhookId, error } of unreadable) {
          this.logger.error({ webhookId, error }, 'webhook secret cannot be opened: its deliveries fail until SECRETS_KEY or SECRETS_KEY_PREVIOUS holds its key');
        }
      },
      (error: unknown) => {
        // Not fatal: every read seals what it finds anyway.
        if (isRedisUnavailable(error)) this.logger.debug({ err: error }, 'webhook secrets not checked at boot: Redis unavailable');
        else this.logger.error({ err: error }, 'webhook secrets could not be checked at boot');
      },
    );
  }

  /** Creates an endpoint with a new signing secret, which only this answer shows. */
  async create(body: unknown, options: Pick<WebhookWriteOptions, 'dryRun'> = NOT_DRY): Promise<CreatedWebhookEndpoint | DryRun<WebhookEndpoint>> {
    const input = validate(() => parseWebhookInput(body, this.targets));
    const key = keyToStore(input.key, null, 'invalid webhook');
    const now = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const endpoint = newEndpoint(newWebhookId(this.clock.now()), key, input, now);
      if (options.dryRun) {
        const owner = key === undefined ? null : await this.repository.idOfKey(key);
        if (owner !== null) throw keyTaken(key, owner);
        return { dryRun: true, changes: documentChanges(undefined, settingsDocument(endpoint)), result: endpoint };
      }
      const secret = newWebhookSecret();
      const outcome = await this.repository.create(endpoint, secret, key);
      if (outcome === 'exists') continue; // 50 random bits collided: draw again
      if (typeof outcome === 'object') throw keyTaken(key, outcome.keyTakenBy);
      this.logger.info({ webhookId: endpoint.id, key, events: endpoint.events }, 'webhook endpoint created');
      return { ...endpoint, secret };
    }
    throw new Error('could not allocate a webhook id');
  }

  /** A page of endpoints; with `key`, the page of the one endpoint that has it (or none). */
  async list(limit: number, cursor?: string, key?: string): Promise<WebhookPage> {
    if (key === undefined) {
      // Channels of other types share the store; /v1/webhooks shows the webhooks.
      const page = await this.repository.listRecords(limit, cursor, (record) => record.channel.type === 'webhook');
      return { items: page.items.map((record) => record.endpoint), nextCursor: page.nextCursor };
    }
    const id = (await this.repository.idOfKey(key)) ?? (isWebhookId(key) ? key : null);
    const record = id === null ? null : await this.repository.getRecord(id);
    return { items: record && record.channel.type === 'webhook' && record.endpoint.key === key ? [record.endpoint] : [], nextCursor: null };
  }

  async get(webhookId: string): Promise<WebhookEndpoint> {
    return this.find(webhookId);
  }

  /**
   * Changes the fields given (a configuration file sends them all: `{url, events, description,
   * enabled}`); `enabled: true` re-enables a disabled endpoint (and closes its circuit). A key in
   * the body must be the endpoint's own.
   */
  async patch(webhookId: string, body: unknown, options: WebhookWriteOptions = NOT_DRY): Promise<WebhookEndpoint | DryRun<WebhookEndpoint>> {
    const patch: WebhookPatch = validate(() => parseWebhookPatch(body, this.targets));
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const current = await this.find(webhookId);
      if (!ifMatchAllows(options.ifMatch, current.revision)) throw preconditionFailed(`webhook ${webhookId}`, current.revision, options.ifMatch ?? { kind: 'any' });
      keyToStore(patch.key, current, 'invalid webhook');
      const updated: WebhookEndpoint = {
        ...current,
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: patch.events } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        updatedAt: new Date(this.clock.now()).toISOString(),
      };
      if (options.dryRun) {
        const result = { ...withEnabled(updated, patch.enabled, updated.updatedAt), revision: current.revision + 1 };
        return { dryRun: true, changes: documentChanges(settingsDocument(current), settingsDocument(result)), result };
      }
      const outcome = await this.repository.update(updated, patch.enabled, current.revision);
      if (outcome === 'missing') throw notFound(`webhook ${webhookId} not found`);
      if (outcome === 'conflict') continue;
      this.logger.info({ webhookId, fields: Object.keys(patch) }, 'webhook endpoint updated');
      return this.get(webhookId);
    }
    throw conflict('the webhook is being changed concurrently; retry');
  }

  async delete(webhookId: string, ifMatch: IfMatch | null = null): Promise<void> {
    const record = isWebhookId(webhookId) ? await this.repository.getRecord(webhookId) : null;
    if (record && record.channel.type !== 'webhook') throw notFound(`${webhookId} is a ${record.channel.type} channel, not a webhook: see /v1/channels/${webhookId}`);
    const deleted = isWebhookId(webhookId) ? await this.repository.delete(webhookId, ifMatch?.kind === 'tags' ? ifMatch.revisions : null) : { outcome: 'missing' as const };
    if (deleted.outcome === 'missing') throw notFound(`webhook ${webhookId} not found`);
    if (deleted.outcome === 'stale') throw preconditionFailed(`webhook ${webhookId}`, deleted.revision, ifMatch ?? { kind: 'any' });
    // Deliveries still queued for it find it gone and end without sending.
    this.logger.info({ webhookId }, 'webhook endpoint deleted');
  }

  /** Queues a `webhook.test` event to the endpoint. A disabled endpoint is refused (409): enable it first. */
  async test(webhookId: string): Promise<TestDelivery> {
    const endpoint = await this.find(webhookId);
    requireEnabled(endpoint);
    return this.sink.publishTest(endpoint);
  }

  /**
   * Replaces the signing secret; the new one is in this answer only. The old one goes on signing
   * (a second `v1,` signature in each request) for `overlapSeconds` (default 24 h), so that
   * receivers can switch without missing a delivery.
   */
  async rotateSecret(webhookId: string, body: unknown): Promise<RotatedSecret> {
    const { overlapMs } = validate(() => parseRotationInput(body));
    await this.find(webhookId);
    const secret = newWebhookSecret();
    const previousUntil = overlapMs > 0 ? this.clock.now() + overlapMs : null;
    if (!(await this.repository.rotateSecret(webhookId, secret, previousUntil))) throw notFound(`webhook ${webhookId} not found`);
    this.logger.info({ webhookId, overlapMs }, 'webhook secret rotated');
    return { secret, previousSecretExpiresAt: previousUntil === null ? null : new Date(previousUntil).toISOString() };
  }

  /** The endpoint's delivery log (attempts and changes of state), newest first. */
  async deliveries(webhookId: string, limit: number): Promise<{ items: DeliveryLogEntry[] }> {
    await this.find(webhookId);
    return { items: await this.repository.deliveries(webhookId, limit) };
  }

  /** One delivery as it stands in the queue. */
  async delivery(webhookId: string, deliveryId: string): Promise<Delivery> {
    await this.find(webhookId);
    const delivery = await this.queued.get(webhookId, deliveryId);
    if (!delivery) throw notFound(`delivery ${deliveryId} of webhook ${webhookId} not found (${KEPT})`);
    return delivery;
  }

  /** Sends one delivery again now, with its original `webhook-id` and body and a fresh schedule. */
  async retryDelivery(webhookId: string, deliveryId: string): Promise<Delivery> {
    requireEnabled(await this.find(webhookId));
    const result = await this.queued.retry(webhookId, deliveryId);
    switch (result.kind) {
      case 'not-found':
        throw notFound(`delivery ${deliveryId} of webhook ${webhookId} not found (${KEPT})`);
      case 'busy':
        throw conflict(`delivery ${deliveryId} is being attempted right now; ask again once the attempt has ended`);
      case 'queued':
        return result.delivery;
    }
  }

  /** Sends again every dead letter of the endpoint queued in `[since, until]`. */
  async replay(webhookId: string, body: unknown): Promise<ReplayResult> {
    const { since, until } = validate(() => parseReplayInput(body));
    requireEnabled(await this.find(webhookId));
    return this.queued.replay(webhookId, since, until);
  }

  private async find(webhookId: string): Promise<WebhookEndpoint> {
    const record = isWebhookId(webhookId) ? await this.repository.getRecord(webhookId) : null;
    if (!record) throw notFound(`webhook ${webhookId} not found`);
    if (record.channel.type !== 'webhook') throw notFound(`${webhookId} is a ${record.channel.type} channel, not a webhook: see /v1/channels/${webhookId}`);
    return record.endpoint;
  }
}

function newEndpoint(id: string, key: string | undefined, input: WebhookInput, now: string): WebhookEndpoint {
  return {
    id,
    key: key ?? id,
    url: input.url,
    events: input.events,
    description: input.description,
    enabled: true,
    state: 'enabled',
    disabledReason: null,
    disabledAt: null,
    circuit: 'closed',
    consecutiveFailures: 0,
    failingSince: null,
    previousSecretExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
}

/** What a configuration file says of an endpoint: what a dry run compares. */
function settingsDocument(endpoint: WebhookEndpoint): Record<string, unknown> {
  return { key: endpoint.key, url: endpoint.url, events: endpoint.events, description: endpoint.description, enabled: endpoint.enabled };
}

/** The endpoint as it would be once `enabled` is applied as the update script applies it. */
function withEnabled(endpoint: WebhookEndpoint, enabled: boolean | undefined, at: string): WebhookEndpoint {
  if (enabled === undefined || enabled === endpoint.enabled) return endpoint;
  if (enabled) return { ...endpoint, enabled, state: 'enabled', disabledReason: null, disabledAt: null, circuit: 'closed', consecutiveFailures: 0, failingSince: null };
  return { ...endpoint, enabled, state: 'disabled', disabledReason: DISABLED_THROUGH_API, disabledAt: at };
}

function keyTaken(key: string | undefined, owner: string): HttpException {
  return conflict(`webhook key ${key ?? ''} is taken by ${owner}`);
}

/** Sending to a disabled endpoint would only dead-letter the delivery again: 409 until it is enabled. */
function requireEnabled(endpoint: WebhookEndpoint): void {
  if (!endpoint.enabled) {
    throw conflict(`webhook ${endpoint.id} is disabled (${endpoint.disabledReason ?? 'no reason recorded'}); enable it with PATCH {"enabled":true} first`);
  }
}

function validate<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidWebhookError) throw validationFailed('invalid webhook', error.issues);
    throw error;
  }
}
