import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { DeliveryAttempt } from './webhook-delivery';
import type { OutboundEventType } from '../events/event-sink';
import type { StoredWebhookEndpoint, WebhookEndpoint } from './webhook-endpoint';
import { webhookKeys } from './webhook-keys';

/** Attempts kept per endpoint, newest first. */
export const DELIVERY_HISTORY_MAX = 500;

/** KEYS: endpoint hash, index. ARGV: id, json, secret. Returns 1, or 0 when the id is taken. */
const CREATE_ENDPOINT = new LuaScript(
  'create-webhook',
  2,
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'secret', ARGV[3], 'enabled', '1')
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 1
`,
);

/**
 * KEYS: endpoint hash. ARGV: json, enabled ('' = unchanged, '1', '0'), disabled reason, disabled at.
 * Returns 1, or 0 when the endpoint does not exist.
 */
const UPDATE_ENDPOINT = new LuaScript(
  'update-webhook',
  1,
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[1])
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'enabled', '1')
  redis.call('HDEL', KEYS[1], 'disabledReason', 'disabledAt')
elseif ARGV[2] == '0' and redis.call('HGET', KEYS[1], 'enabled') ~= '0' then
  redis.call('HSET', KEYS[1], 'enabled', '0', 'disabledReason', ARGV[3], 'disabledAt', ARGV[4])
end
return 1
`,
);

/** KEYS: endpoint hash. ARGV: reason, at. Returns 1 when this call disabled it (it existed and was enabled). */
const DISABLE_ENDPOINT = new LuaScript(
  'disable-webhook',
  1,
  `
if redis.call('HGET', KEYS[1], 'enabled') ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'enabled', '0', 'disabledReason', ARGV[1], 'disabledAt', ARGV[2])
return 1
`,
);

/** KEYS: endpoint hash, index, deliveries. ARGV: id. Returns 1 when the endpoint existed. */
const DELETE_ENDPOINT = new LuaScript(
  'delete-webhook',
  3,
  `
local existed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return existed
`,
);

/**
 * KEYS: endpoint hash, deliveries. ARGV: attempt JSON, max kept. Only while the endpoint exists,
 * so that a delivery finishing after a delete leaves no orphan list behind.
 */
const RECORD_ATTEMPT = new LuaScript(
  'record-webhook-attempt',
  2,
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[2]) - 1)
return 1
`,
);

/** The settings of an endpoint as stored in `json` (its state lives in fields of its own). */
type EndpointSettings = Pick<WebhookEndpoint, 'id' | 'url' | 'events' | 'description' | 'createdAt' | 'updatedAt'>;

/** One page of endpoints, in creation order. */
export interface WebhookPage {
  items: WebhookEndpoint[];
  nextCursor: string | null;
}

const FIELDS = ['json', 'secret', 'enabled', 'disabledReason', 'disabledAt'] as const;

/**
 * Webhook endpoints in Redis: hash `cc:c:webhook:<id>`, listed by `cc:c:webhooks`, with each
 * endpoint's delivery attempts in the list `cc:c:webhook:<id>:deliveries`. Every write that must
 * see the endpoint exist is one Lua script.
 */
@Injectable()
export class WebhooksRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: Redis) {}

  /** Stores a new endpoint; `false` when the id is taken. */
  async create(endpoint: WebhookEndpoint, secret: string): Promise<boolean> {
    const created = await CREATE_ENDPOINT.run(
      this.redis,
      [webhookKeys.endpoint(endpoint.id), webhookKeys.index()],
      [endpoint.id, JSON.stringify(settingsOf(endpoint)), secret],
    );
    return created === 1;
  }

  async get(webhookId: string): Promise<StoredWebhookEndpoint | null> {
    const values = await this.redis.hmget(webhookKeys.endpoint(webhookId), ...FIELDS);
    return fromHash(values);
  }

  /**
   * Writes an endpoint's settings and, when `enabled` is given, its state (enabling clears the
   * reason it was disabled). `false` when it does not exist.
   */
  async update(endpoint: WebhookEndpoint, enabled: boolean | undefined, disabledReason = 'disabled through the API'): Promise<boolean> {
    const updated = await UPDATE_ENDPOINT.run(
      this.redis,
      [webhookKeys.endpoint(endpoint.id)],
      [JSON.stringify(settingsOf(endpoint)), enabled === undefined ? '' : enabled ? '1' : '0', disabledReason, endpoint.updatedAt],
    );
    return updated === 1;
  }

  /** Disables an enabled endpoint; `true` when this call did it. */
  async disable(webhookId: string, reason: string, at: string): Promise<boolean> {
    return (await DISABLE_ENDPOINT.run(this.redis, [webhookKeys.endpoint(webhookId)], [reason, at])) === 1;
  }

  /** Deletes an endpoint and its delivery history; `false` when there was none. */
  async delete(webhookId: string): Promise<boolean> {
    const deleted = await DELETE_ENDPOINT.run(
      this.redis,
      [webhookKeys.endpoint(webhookId), webhookKeys.index(), webhookKeys.deliveries(webhookId)],
      [webhookId],
    );
    return deleted === 1;
  }

  /** Endpoints after `cursor` (an endpoint id), at most `limit`. */
  async list(limit: number, cursor?: string): Promise<WebhookPage> {
    const ids = await this.redis.zrangebylex(webhookKeys.index(), cursor ? `(${cursor}` : '-', '+', 'LIMIT', 0, limit + 1);
    const pageIds = ids.slice(0, limit);
    const items = (await this.getMany(pageIds)).map((stored) => stored.endpoint);
    return { items, nextCursor: ids.length > limit ? (pageIds[pageIds.length - 1] ?? null) : null };
  }

  /** Every enabled endpoint subscribed to `type`. */
  async subscribers(type: OutboundEventType): Promise<StoredWebhookEndpoint[]> {
    const subscribed: StoredWebhookEndpoint[] = [];
    let cursor = '-';
    for (;;) {
      const ids = await this.redis.zrangebylex(webhookKeys.index(), cursor, '+', 'LIMIT', 0, 500);
      for (const stored of await this.getMany(ids)) {
        if (stored.endpoint.enabled && stored.endpoint.events.includes(type)) subscribed.push(stored);
      }
      const last = ids[ids.length - 1];
      if (ids.length < 500 || last === undefined) return subscribed;
      cursor = `(${last}`;
    }
  }

  /** Records one delivery attempt (a no-op once the endpoint is deleted). */
  async recordAttempt(webhookId: string, attempt: DeliveryAttempt): Promise<void> {
    await RECORD_ATTEMPT.run(
      this.redis,
      [webhookKeys.endpoint(webhookId), webhookKeys.deliveries(webhookId)],
      [JSON.stringify(attempt), DELIVERY_HISTORY_MAX],
    );
  }

  /** The endpoint's newest `limit` attempts, newest first. */
  async deliveries(webhookId: string, limit: number): Promise<DeliveryAttempt[]> {
    const entries = await this.redis.lrange(webhookKeys.deliveries(webhookId), 0, limit - 1);
    return entries.map((entry) => JSON.parse(entry) as DeliveryAttempt);
  }

  private async getMany(ids: readonly string[]): Promise<StoredWebhookEndpoint[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(webhookKeys.endpoint(id), ...FIELDS);
    const found: StoredWebhookEndpoint[] = [];
    for (const [error, values] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      // An endpoint deleted between the two reads is simply left out.
      const stored = fromHash(values as (string | null)[]);
      if (stored) found.push(stored);
    }
    return found;
  }
}

function settingsOf(endpoint: WebhookEndpoint): EndpointSettings {
  const { id, url, events, description, createdAt, updatedAt } = endpoint;
  return { id, url, events, description, createdAt, updatedAt };
}

function fromHash([json, secret, enabled, disabledReason, disabledAt]: (string | null)[]): StoredWebhookEndpoint | null {
  if (typeof json !== 'string' || typeof secret !== 'string') return null;
  const settings = JSON.parse(json) as EndpointSettings;
  const isEnabled = enabled !== '0';
  return {
    endpoint: {
      id: settings.id,
      url: settings.url,
      events: settings.events,
      description: settings.description,
      enabled: isEnabled,
      disabledReason: isEnabled ? null : (disabledReason ?? null),
      disabledAt: isEnabled ? null : (disabledAt ?? null),
      createdAt: settings.createdAt,
      updatedAt: settings.updatedAt,
    },
    secret,
  };
}
