import { Inject, Injectable } from '@nestjs/common';
import {
  channelPatchCommonSchema,
  documentChanges,
  InvalidChannelError,
  parseChannelInput,
  parseReplayInput,
  InvalidWebhookError,
  fieldIssuesOf,
  type ChannelInput,
  type ChannelSecrets,
  type ChannelSettings,
  type ChannelView,
} from '@crosscheck/contract';
import {
  sampleMaintenance,
  sampleMaskedBecameOutage,
  sampleMaskedOutageOpened,
  sampleMaskedOutageReminder,
  sampleMaskedOutageResolved,
  sampleRegionBlind,
  sampleRegionRestored,
  type NotifyEvent,
} from '@crosscheck/notify';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import type { DryRun } from '../http/dry-run';
import { ifMatchAllows, preconditionFailed, type IfMatch } from '../http/if-match';
import { conflict, notFound, validationFailed } from '../http/problem';
import { keyToStore } from '../http/resource-key-rules';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { WebhookDeliveries, type ReplayResult } from '../webhooks/webhook-deliveries.service';
import type { Delivery, DeliveryLogEntry } from '../webhooks/webhook-delivery';
import { secretHint, type ChannelMeta, type ChannelRecord, type WebhookEndpoint } from '../webhooks/webhook-endpoint';
import { WebhookEventSink, type TestDelivery } from '../webhooks/webhook-event-sink';
import { isWebhookId, newChannelId } from '../webhooks/webhook-id';
import { newWebhookSecret } from '../webhooks/webhook-signature';
import { WebhookTargetPolicy } from '../webhooks/webhook-target';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { renderForChannel, UnrenderableEventError } from './channel-render';

const UPDATE_ATTEMPTS = 5;
const INVALID = 'invalid channel';
const KEPT = 'delivered deliveries are kept 24 h, dead letters 30 days';

export interface ChannelWriteOptions {
  ifMatch: IfMatch | null;
  dryRun: boolean;
}
const NOT_DRY: ChannelWriteOptions = { ifMatch: null, dryRun: false };

export type CreatedChannel = ChannelView & { secret?: string };
export type ChannelWrite = ChannelView | DryRun<ChannelView>;

/** Sample events a preview renders, by type. */
const PREVIEW_EVENTS: Record<string, () => NotifyEvent> = {
  'incident.opened': sampleMaskedOutageOpened,
  'incident.updated': sampleMaskedBecameOutage,
  'incident.resolved': sampleMaskedOutageResolved,
  'incident.reminder': sampleMaskedOutageReminder,
  'region.blind': sampleRegionBlind,
  'region.restored': sampleRegionRestored,
  'maintenance.started': () => sampleMaintenance('maintenance.started'),
  'maintenance.ended': () => sampleMaintenance('maintenance.ended'),
};

/**
 * Notification channel use cases. A channel is stored as an endpoint of the delivery queue (see
 * `ChannelMeta`), so its deliveries, circuit, log, dead letters, retry and replay are the webhooks'
 * own. Secrets (routing keys, Slack and Teams webhook URLs, SMTP passwords) are sealed at rest and
 * never shown; the API shows their last 4 characters. Writes are compare-and-set on the revision.
 */
@Injectable()
export class ChannelsService {
  private readonly logger: Logger;
  private readonly targets: WebhookTargetPolicy;
  private readonly dashboardUrl: string;

  constructor(
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(WebhookEventSink) private readonly sink: WebhookEventSink,
    @Inject(WebhookDeliveries) private readonly queued: WebhookDeliveries,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'channels' });
    this.targets = new WebhookTargetPolicy({ allowPrivate: config.webhookAllowPrivateTargets ?? false });
    this.dashboardUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  }

  async create(body: unknown, options: Pick<ChannelWriteOptions, 'dryRun'> = NOT_DRY): Promise<CreatedChannel | DryRun<ChannelView>> {
    const input = this.validate(body);
    const key = keyToStore(input.key, null, INVALID);
    const now = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const id = newChannelId(this.clock.now());
      const { endpoint, channel } = recordOf(id, key, input, now, now);
      if (options.dryRun) {
        const owner = key === undefined ? null : await this.repository.idOfKey(key);
        if (owner !== null) throw conflict(`channel key ${key ?? ''} is taken by ${owner}`);
        const result = channelView({ endpoint, channel });
        return { dryRun: true, changes: documentChanges(undefined, channelDocument(result)), result };
      }
      const signing = input.settings.type === 'webhook' ? newWebhookSecret() : null;
      const outcome = await this.repository.create(endpoint, signing ?? JSON.stringify(input.secrets), key, channel);
      if (outcome === 'exists') continue;
      if (typeof outcome === 'object') throw conflict(`channel key ${key ?? ''} is taken by ${outcome.keyTakenBy}`);
      this.logger.info({ channelId: id, key, type: channel.type }, 'channel created');
      const view = channelView({ endpoint, channel });
      return signing === null ? view : { ...view, secret: signing };
    }
    throw new Error('could not allocate a channel id');
  }

  async list(limit: number, cursor?: string, key?: string, type?: string): Promise<{ items: ChannelView[]; nextCursor: string | null }> {
    if (key !== undefined) {
      const id = (await this.repository.idOfKey(key)) ?? (isWebhookId(key) ? key : null);
      const record = id === null ? null : await this.repository.getRecord(id);
      const keep = record !== null && record.endpoint.key === key && (type === undefined || record.channel.type === type);
      return { items: keep ? [channelView(record)] : [], nextCursor: null };
    }
    const page = await this.repository.listRecords(limit, cursor, (record) => type === undefined || record.channel.type === type);
    return { items: page.items.map(channelView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<ChannelView> {
    return channelView(await this.find(id));
  }

  /**
   * Changes the fields given. A type's own fields replace the stored ones; a secret left out is
   * kept, one given replaces it; `enabled: true` re-enables a disabled channel (and closes its circuit).
   */
  async patch(id: string, body: unknown, options: ChannelWriteOptions = NOT_DRY): Promise<ChannelWrite> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationFailed(INVALID, [{ path: '', message: 'the body must be a JSON object' }]);
    const patch = body as Record<string, unknown>;
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const current = await this.find(id);
      if (!ifMatchAllows(options.ifMatch, current.endpoint.revision)) throw preconditionFailed(`channel ${id}`, current.endpoint.revision, options.ifMatch ?? { kind: 'any' });
      const { enabled, ...rest } = patch;
      if (enabled !== undefined && typeof enabled !== 'boolean') throw validationFailed(INVALID, [{ path: 'enabled', message: 'must be true or false' }]);
      if (rest['type'] !== undefined && rest['type'] !== current.channel.type) {
        throw validationFailed(INVALID, [{ path: 'type', message: `a channel's type never changes (this one is ${current.channel.type}); create another channel` }]);
      }
      const common = channelPatchCommonSchema.safeParse(Object.fromEntries(Object.entries(rest).filter(([name]) => name in channelPatchCommonSchema.shape)));
      if (!common.success) throw validationFailed(INVALID, fieldIssuesOf(common.error));
      const merged = { ...bodyOf(current), ...rest, type: current.channel.type };
      const secretsGiven = secretFieldsOf(rest);
      const input = this.validate(withPlaceholders(merged, current.channel.type));
      const kept = current.endpoint.key === current.endpoint.id ? undefined : current.endpoint.key;
      keyToStore(input.key, { id, ...(kept !== undefined ? { key: kept } : {}) }, INVALID);
      const now = new Date(this.clock.now()).toISOString();
      const next = recordOf(id, kept, input, current.endpoint.createdAt, now, current.channel.secretHints, secretsGiven ? input.secrets : null);
      const endpoint = { ...current.endpoint, ...next.endpoint, enabled: current.endpoint.enabled, state: current.endpoint.state, disabledReason: current.endpoint.disabledReason, disabledAt: current.endpoint.disabledAt };
      if (options.dryRun) {
        const result = { ...channelView({ endpoint, channel: next.channel }), revision: current.endpoint.revision + 1, ...(typeof enabled === 'boolean' ? { enabled, state: enabled ? ('enabled' as const) : ('disabled' as const) } : {}) };
        return { dryRun: true, changes: documentChanges(channelDocument(channelView(current)), channelDocument(result)), result };
      }
      const secret = secretsGiven && input.settings.type !== 'webhook' ? JSON.stringify(await this.mergedSecrets(id, input.secrets)) : undefined;
      const outcome = await this.repository.update(endpoint, typeof enabled === 'boolean' ? enabled : undefined, current.endpoint.revision, undefined, {
        channel: next.channel,
        ...(secret !== undefined ? { secret } : {}),
      });
      if (outcome === 'missing') throw notFound(`channel ${id} not found`);
      if (outcome === 'conflict') continue;
      this.logger.info({ channelId: id, fields: Object.keys(patch) }, 'channel updated');
      return this.get(id);
    }
    throw conflict('the channel is being changed concurrently; retry');
  }

  async delete(id: string, ifMatch: IfMatch | null = null): Promise<void> {
    const deleted = isWebhookId(id) ? await this.repository.delete(id, ifMatch?.kind === 'tags' ? ifMatch.revisions : null) : { outcome: 'missing' as const };
    if (deleted.outcome === 'missing') throw notFound(`channel ${id} not found`);
    if (deleted.outcome === 'stale') throw preconditionFailed(`channel ${id}`, deleted.revision, ifMatch ?? { kind: 'any' });
    this.logger.info({ channelId: id }, 'channel deleted');
  }

  /** Queues a test message to the channel through the same queue, retries and log as every event. */
  async test(id: string): Promise<TestDelivery> {
    const record = await this.find(id);
    requireEnabled(record);
    return this.sink.publishTest(record.endpoint);
  }

  /** What the channel would be sent for a sample event (a masked outage by default), its secrets left out. */
  async preview(id: string, body: unknown): Promise<{ type: string; event: string; payload: unknown }> {
    const record = await this.find(id);
    const requested = typeof body === 'object' && body !== null && 'event' in body ? (body as { event: unknown }).event : undefined;
    const type = requested ?? 'incident.opened';
    const sample = typeof type === 'string' && Object.hasOwn(PREVIEW_EVENTS, type) ? PREVIEW_EVENTS[type] : undefined;
    if (sample === undefined) throw validationFailed('invalid preview', [{ path: 'event', message: `must be one of ${Object.keys(PREVIEW_EVENTS).join(', ')}` }]);
    const event = sample();
    if (record.channel.type === 'webhook') return { type: 'webhook', event: event.type, payload: { type: event.type, timestamp: event.timestamp, data: event.data } };
    const redacted: ChannelSecrets = { routingKey: record.channel.secretHints['routingKey'] ?? '…', webhookUrl: 'https://redacted.invalid/', smtpPassword: '' };
    let request: ReturnType<typeof renderForChannel>;
    try {
      request = renderForChannel(record.channel, redacted, { type: event.type, timestamp: event.timestamp, data: event.data }, { channelId: id, dashboardUrl: this.dashboardUrl });
    } catch (error) {
      if (!(error instanceof UnrenderableEventError)) throw error;
      throw conflict(`channel ${id} cannot be rendered: ${error.message}`);
    }
    const payload = request.kind === 'http' ? (JSON.parse(request.body) as unknown) : request.kind === 'mail' ? request.message : { notSent: request.reason };
    return { type: record.channel.type, event: event.type, payload };
  }

  async deliveries(id: string, limit: number): Promise<{ items: DeliveryLogEntry[] }> {
    await this.find(id);
    return { items: await this.repository.deliveries(id, limit) };
  }

  async delivery(id: string, deliveryId: string): Promise<Delivery> {
    await this.find(id);
    const delivery = await this.queued.get(id, deliveryId);
    if (!delivery) throw notFound(`delivery ${deliveryId} of channel ${id} not found (${KEPT})`);
    return delivery;
  }

  async retryDelivery(id: string, deliveryId: string): Promise<Delivery> {
    requireEnabled(await this.find(id));
    const result = await this.queued.retry(id, deliveryId);
    if (result.kind === 'not-found') throw notFound(`delivery ${deliveryId} of channel ${id} not found (${KEPT})`);
    if (result.kind === 'busy') throw conflict(`delivery ${deliveryId} is being attempted right now; ask again once the attempt has ended`);
    return result.delivery;
  }

  async replay(id: string, body: unknown): Promise<ReplayResult> {
    let window: { since: number; until: number | null };
    try {
      window = parseReplayInput(body);
    } catch (error) {
      if (error instanceof InvalidWebhookError) throw validationFailed('invalid replay', error.issues);
      throw error;
    }
    requireEnabled(await this.find(id));
    return this.queued.replay(id, window.since, window.until);
  }

  private async mergedSecrets(id: string, given: ChannelSecrets): Promise<ChannelSecrets> {
    const stored = await this.repository.getWithSecrets(id);
    return { ...(stored?.channelSecrets ?? {}), ...given };
  }

  private validate(body: unknown): ChannelInput {
    try {
      return parseChannelInput(body, this.targets);
    } catch (error) {
      if (error instanceof InvalidChannelError) throw validationFailed(INVALID, error.issues);
      throw error;
    }
  }

  private async find(id: string): Promise<ChannelRecord> {
    const record = isWebhookId(id) ? await this.repository.getRecord(id) : null;
    if (!record) throw notFound(`channel ${id} not found`);
    return record;
  }
}

/** The endpoint and channel metadata a validated body makes. */
function recordOf(
  id: string,
  key: string | undefined,
  input: ChannelInput,
  createdAt: string,
  updatedAt: string,
  previousHints: Record<string, string> = {},
  newSecrets: ChannelSecrets | null = input.secrets,
): { endpoint: WebhookEndpoint; channel: ChannelMeta } {
  const hints: Record<string, string> = newSecrets === null ? { ...previousHints } : { ...previousHints };
  if (newSecrets !== null) {
    if (newSecrets.routingKey !== undefined) hints['routingKey'] = secretHint(newSecrets.routingKey);
    if (newSecrets.webhookUrl !== undefined) hints['webhookUrl'] = secretHint(newSecrets.webhookUrl);
    if (newSecrets.smtpPassword !== undefined) hints['smtp.password'] = secretHint(newSecrets.smtpPassword);
  }
  const channel: ChannelMeta = { type: input.settings.type, name: input.name, routing: input.routing, settings: input.settings, secretHints: hints };
  const endpoint: WebhookEndpoint = {
    id,
    key: key ?? id,
    url: displayUrl(input.settings),
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
    createdAt,
    updatedAt,
    revision: 1,
  };
  return { endpoint, channel };
}

/** What an endpoint's `url` says of a channel (never a secret). */
function displayUrl(settings: ChannelSettings): string {
  switch (settings.type) {
    case 'pagerduty':
      return settings.endpointUrl;
    case 'webhook':
      return settings.url;
    case 'email':
      return `smtp://${settings.smtp.host}:${settings.smtp.port}`;
    default:
      return `https://${settings.type}.invalid/`;
  }
}

export function channelView({ endpoint, channel }: ChannelRecord): ChannelView {
  return {
    id: endpoint.id,
    key: endpoint.key,
    revision: endpoint.revision,
    type: channel.type,
    name: channel.name,
    description: endpoint.description,
    events: endpoint.events as ChannelView['events'],
    routing: channel.routing,
    settings: channel.settings,
    secretHints: channel.secretHints,
    enabled: endpoint.enabled,
    state: endpoint.state,
    disabledReason: endpoint.disabledReason,
    disabledAt: endpoint.disabledAt,
    circuit: endpoint.circuit,
    consecutiveFailures: endpoint.consecutiveFailures,
    failingSince: endpoint.failingSince,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

/** A channel as a configuration file writes it, secrets left out: what a dry run compares. */
function channelDocument(view: ChannelView): Record<string, unknown> {
  return { key: view.key, type: view.type, name: view.name, description: view.description, events: view.events, routing: view.routing, settings: view.settings, secretHints: view.secretHints, enabled: view.enabled };
}

/** The stored channel as a create body, secrets left out. */
function bodyOf(record: ChannelRecord): Record<string, unknown> {
  const { channel, endpoint } = record;
  const common = { name: channel.name, description: endpoint.description, events: endpoint.events, routing: channel.routing };
  const s = channel.settings;
  switch (s.type) {
    case 'pagerduty':
      return { ...common, endpointUrl: s.endpointUrl };
    case 'email':
      return { ...common, smtp: { host: s.smtp.host, port: s.smtp.port, secure: s.smtp.secure, ...(s.smtp.username !== null ? { username: s.smtp.username } : {}) }, from: s.from, to: s.to };
    case 'webhook':
      return { ...common, url: s.url };
    default:
      return common;
  }
}

/** A required secret the patch leaves out stands in for validation; the stored one is kept. */
function withPlaceholders(body: Record<string, unknown>, type: string): Record<string, unknown> {
  if (type === 'pagerduty' && body['routingKey'] === undefined) return { ...body, routingKey: 'kept' };
  if ((type === 'slack' || type === 'teams') && body['webhookUrl'] === undefined) return { ...body, webhookUrl: 'https://kept.invalid/' };
  return body;
}

function secretFieldsOf(patch: Record<string, unknown>): boolean {
  const smtp = patch['smtp'];
  return patch['routingKey'] !== undefined || patch['webhookUrl'] !== undefined || (typeof smtp === 'object' && smtp !== null && 'password' in smtp);
}

function requireEnabled(record: ChannelRecord): void {
  if (!record.endpoint.enabled) {
    throw conflict(`channel ${record.endpoint.id} is disabled (${record.endpoint.disabledReason ?? 'no reason recorded'}); enable it with PATCH {"enabled":true} first`);
  }
}

