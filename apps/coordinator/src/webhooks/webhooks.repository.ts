import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { Clock } from '../core/clock';
import type { OutboundEventType } from '../events/event-sink';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { SecretBox, SecretOpenError } from '../secrets/secret-box';
import { CIRCUIT_FIELDS, circuitViewOf, type CircuitView } from './delivery-circuit';
import { DEAD_LETTER_RETENTION_SECONDS } from './webhook-delivery-job';
import { isAttempt, STATE_AFTER, type DeliveryAttempt, type DeliveryLogEntry, type EndpointRecord } from './webhook-delivery';
import type { ChannelSecrets } from '@crosscheck/contract';
import { legacyChannelMeta, type ChannelMeta, type ChannelRecord, type StoredWebhookEndpoint, type WebhookEndpoint } from './webhook-endpoint';
import { coordinatorKeys } from '../redis/coordinator-keys';

/** Log entries (attempts and state changes) kept per endpoint, newest first. */
export const DELIVERY_HISTORY_MAX = 500;
/** Dead letters indexed per endpoint (the newest by creation are kept). */
export const DEAD_LETTERS_MAX = 10_000;

/** Why an endpoint disabled through the API is: what its log and `disabledReason` say. */
export const DISABLED_THROUGH_API = 'disabled through the API';

/** Prefix of a plaintext Standard Webhooks secret: what the previous version stored. */
const PLAINTEXT_PREFIX = 'whsec_';

/**
 * KEYS: endpoint hash, index, key index. ARGV: id, json, sealed secret, key ('' = none). Claims the
 * key unless another endpoint has it. Returns 'created', 'exists' (the id is taken) or
 * 'key_taken:<owner id>'.
 */
const CREATE_ENDPOINT = new LuaScript(
  'create-webhook',
  3,
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
if ARGV[4] ~= '' then
  local owner = redis.call('HGET', KEYS[3], ARGV[4])
  if owner then return 'key_taken:' .. owner end
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[1])
  redis.call('HSET', KEYS[1], 'key', ARGV[4])
end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'secret', ARGV[3], 'enabled', '1', 'revision', '1')
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 'created'
`,
);

/** Lua: bumps an endpoint's revision (absent on endpoints stored before revisions: 1). */
const BUMP_REVISION = `
local function bumpRevision(key)
  local revision = tonumber(redis.call('HGET', key, 'revision') or '1') + 1
  redis.call('HSET', key, 'revision', revision)
  return revision
end`;

/**
 * KEYS: endpoint hash, deliveries, circuit. ARGV: json, enabled ('' = unchanged, '1', '0'),
 * disabled reason, at, disabled record, enabled record, max log entries, expected revision
 * (compare-and-set). Enabling closes the circuit and forgets the failures (or the next failure
 * would disable it again at once); each change of state leaves its record in the log. Returns
 * 'ok', 'missing', or 'conflict' (it is no longer at the expected revision).
 */
const UPDATE_ENDPOINT = new LuaScript(
  'update-webhook',
  3,
  `${BUMP_REVISION}
if redis.call('EXISTS', KEYS[1]) == 0 then return 'missing' end
if (redis.call('HGET', KEYS[1], 'revision') or '1') ~= ARGV[8] then return 'conflict' end
redis.call('HSET', KEYS[1], 'json', ARGV[1])
if ARGV[9] ~= nil and ARGV[9] ~= '' then redis.call('HSET', KEYS[1], 'secret', ARGV[9]) end
bumpRevision(KEYS[1])
local enabled = redis.call('HGET', KEYS[1], 'enabled')
if ARGV[2] == '1' and enabled ~= '1' then
  redis.call('HSET', KEYS[1], 'enabled', '1')
  redis.call('HDEL', KEYS[1], 'disabledReason', 'disabledAt')
  redis.call('DEL', KEYS[3])
  redis.call('LPUSH', KEYS[2], ARGV[6])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
elseif ARGV[2] == '0' and enabled ~= '0' then
  redis.call('HSET', KEYS[1], 'enabled', '0', 'disabledReason', ARGV[3], 'disabledAt', ARGV[4])
  redis.call('LPUSH', KEYS[2], ARGV[5])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
end
return 'ok'
`,
);

/** KEYS: endpoint hash, deliveries. ARGV: reason, at, record, max log entries. Returns 1 when this call disabled it (it existed and was enabled). */
const DISABLE_ENDPOINT = new LuaScript(
  'disable-webhook',
  2,
  `${BUMP_REVISION}
if redis.call('HGET', KEYS[1], 'enabled') ~= '1' then return 0 end
-- A change of the endpoint as shown: a configuration read before it is stale.
bumpRevision(KEYS[1])
redis.call('HSET', KEYS[1], 'enabled', '0', 'disabledReason', ARGV[1], 'disabledAt', ARGV[2])
redis.call('LPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
return 1
`,
);

/**
 * KEYS: endpoint hash, index, deliveries, circuit, dead letters, key index. ARGV: id, revisions it
 * must be at (',3,4,'; '' = any). Frees its key. Returns {'deleted'}, {'missing'}, or {'stale',
 * current revision} (nothing deleted).
 */
const DELETE_ENDPOINT = new LuaScript(
  'delete-webhook',
  6,
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing', ''} end
local found = redis.call('HMGET', KEYS[1], 'revision', 'key')
local revision = found[1] or '1'
if ARGV[2] ~= '' and not string.find(ARGV[2], ',' .. revision .. ',', 1, true) then return {'stale', revision} end
if found[2] then redis.call('HDEL', KEYS[6], found[2]) end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5])
redis.call('ZREM', KEYS[2], ARGV[1])
return {'deleted', revision}
`,
);

/**
 * KEYS: endpoint hash, deliveries. ARGV: entry JSON, max kept. Only while the endpoint exists,
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

/**
 * KEYS: endpoint hash, dead letters. ARGV: delivery id, created at (ms), oldest kept (ms), max kept.
 * Only while the endpoint exists.
 */
const ADD_DEAD_LETTER = new LuaScript(
  'add-webhook-dead-letter',
  2,
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -tonumber(ARGV[4]) - 1)
return 1
`,
);

/**
 * KEYS: endpoint hash. ARGV: the current secret as read, new sealed secret, previous sealed
 * secret ('' for none), until when it signs (ms). A compare-and-set: 0 when the secret changed
 * since it was read (another rotation), -1 when the endpoint is gone.
 */
const ROTATE_SECRET = new LuaScript(
  'rotate-webhook-secret',
  1,
  `
local current = redis.call('HGET', KEYS[1], 'secret')
if not current then return -1 end
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'secret', ARGV[2])
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], 'previousSecret', 'previousSecretExpiresAt')
else
  redis.call('HSET', KEYS[1], 'previousSecret', ARGV[3], 'previousSecretExpiresAt', ARGV[4])
end
return 1
`,
);

/** KEYS: endpoint hash. ARGV: field, value as read, new value ('' deletes the field and the previous secret's expiry). Compare-and-set. */
const REWRITE_SECRET = new LuaScript(
  'rewrite-webhook-secret',
  1,
  `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if ARGV[3] == '' then
  redis.call('HDEL', KEYS[1], ARGV[1], 'previousSecretExpiresAt')
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
end
return 1
`,
);

/** The settings of an endpoint as stored in `json` (its state lives in fields of its own). */
type EndpointSettings = Pick<WebhookEndpoint, 'id' | 'url' | 'events' | 'description' | 'createdAt' | 'updatedAt'> & {
  /** What kind of channel it is; absent on endpoints made through `/v1/webhooks` before channels existed. */
  channel?: ChannelMeta;
};

/** One page of endpoints, in creation order. */
export interface WebhookPage {
  items: WebhookEndpoint[];
  nextCursor: string | null;
}

const FIELDS = ['json', 'secret', 'enabled', 'disabledReason', 'disabledAt', 'previousSecret', 'previousSecretExpiresAt', 'revision', 'key'] as const;

/** What creating an endpoint came to. */
export type CreateEndpointOutcome = 'created' | 'exists' | { keyTakenBy: string };

/** What deleting an endpoint came to. */
export type DeleteEndpointOutcome = { outcome: 'deleted' } | { outcome: 'missing' } | { outcome: 'stale'; revision: number };

/** An endpoint's hash as read, secrets still sealed. */
interface EndpointRow {
  settings: EndpointSettings;
  secret: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  revision: number;
  /** The key it was created with, if any. */
  key: string | null;
}

/**
 * Webhook endpoints in Redis: hash `cc:{c}:webhook:<id>`, listed by `cc:{c}:webhooks`, with each
 * endpoint's delivery log, circuit and dead letters in keys of their own (see `coordinatorKeys`).
 * Every write that must see the endpoint exist is one Lua script.
 *
 * Signing secrets are sealed with the {@link SecretBox} (AES-256-GCM, `SECRETS_KEY`) before they
 * reach Redis, and opened only for the delivery worker. A secret found in plaintext (stored by
 * the previous version) or sealed under a previous key is sealed again when it is read.
 */
@Injectable()
export class WebhooksRepository {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Stores a new endpoint with its secret sealed, claiming `key` (unless another endpoint has it,
   * checked in the same script); `exists` when the id is taken.
   */
  async create(endpoint: WebhookEndpoint, secret: string, key: string | undefined, channel?: ChannelMeta): Promise<CreateEndpointOutcome> {
    const created = String(
      await CREATE_ENDPOINT.run(
        this.redis,
        [coordinatorKeys.webhook(endpoint.id), coordinatorKeys.webhookIndex(), coordinatorKeys.webhookKeys()],
        [endpoint.id, JSON.stringify(settingsOf(endpoint, channel)), this.box.seal(secret), key ?? ''],
      ),
    );
    if (created.startsWith('key_taken:')) return { keyTakenBy: created.slice('key_taken:'.length) };
    return created === 'created' ? 'created' : 'exists';
  }

  /** The id of the endpoint created with `key`; `null` when none has it. */
  async idOfKey(key: string): Promise<string | null> {
    return this.redis.hget(coordinatorKeys.webhookKeys(), key);
  }

  /** The endpoint as the API shows it (its secrets stay sealed); `null` when there is none. */
  async get(webhookId: string): Promise<WebhookEndpoint | null> {
    return (await this.getMany([webhookId]))[0] ?? null;
  }

  /** The endpoint with what makes it a channel; `null` when there is none. */
  async getRecord(id: string): Promise<ChannelRecord | null> {
    return (await this.getRecords([id]))[0] ?? null;
  }

  /**
   * Channels after `cursor` (an id) that pass `keep`, at most `limit`: pages are read until they
   * fill, so a filter that keeps few costs more reads, never a short page with more behind it.
   */
  async listRecords(limit: number, cursor: string | undefined, keep: (record: ChannelRecord) => boolean): Promise<{ items: ChannelRecord[]; nextCursor: string | null }> {
    const items: ChannelRecord[] = [];
    let from = cursor ? `(${cursor}` : '-';
    for (;;) {
      const ids = await this.redis.zrangebylex(coordinatorKeys.webhookIndex(), from, '+', 'LIMIT', 0, 200);
      for (const record of await this.getRecords(ids)) {
        if (!keep(record)) continue;
        if (items.length === limit) return { items, nextCursor: items[items.length - 1]!.endpoint.id };
        items.push(record);
      }
      const last = ids[ids.length - 1];
      if (ids.length < 200 || last === undefined) return { items, nextCursor: null };
      from = `(${last}`;
    }
  }

  /** Every channel (disabled ones included), in creation order. */
  async allRecords(): Promise<ChannelRecord[]> {
    const all: ChannelRecord[] = [];
    let cursor = '-';
    for (;;) {
      const ids = await this.redis.zrangebylex(coordinatorKeys.webhookIndex(), cursor, '+', 'LIMIT', 0, 500);
      all.push(...(await this.getRecords(ids)));
      const last = ids[ids.length - 1];
      if (ids.length < 500 || last === undefined) return all;
      cursor = `(${last}`;
    }
  }

  /**
   * The endpoint with its signing secrets opened (the current one first), for the delivery
   * worker; `null` when there is none. Throws `SecretOpenError` for a secret sealed under a key
   * that is neither `SECRETS_KEY` nor in `SECRETS_KEY_PREVIOUS`.
   */
  async getWithSecrets(webhookId: string): Promise<StoredWebhookEndpoint | null> {
    const [row, circuit] = (await this.readRows([webhookId]))[0] ?? [null, null];
    if (!row || !circuit) return null;
    const now = this.clock.now();
    const endpoint = endpointOf(row, circuit, now);
    const channel = row.settings.channel ?? legacyChannelMeta(endpoint);
    const opened = this.openSecret(row.secret);
    await this.maintainSecrets(webhookId, row, now);
    // A channel of another type keeps its own secrets (as JSON) where a webhook keeps its signing secret.
    if (channel.type !== 'webhook') return { endpoint, secrets: [], channel, channelSecrets: JSON.parse(opened) as ChannelSecrets };
    const secrets = [opened];
    const previousSigns = row.previousSecret !== null && row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now;
    if (previousSigns) secrets.push(this.openSecret(row.previousSecret!));
    return { endpoint, secrets, channel, channelSecrets: {} };
  }

  /**
   * Writes an endpoint's settings and, when `enabled` is given, its state, if it is still at
   * `expectedRevision` (compare-and-set; `conflict` otherwise): enabling clears the reason it was
   * disabled and closes its circuit; each change leaves a record in the log.
   */
  async update(
    endpoint: WebhookEndpoint,
    enabled: boolean | undefined,
    expectedRevision: number,
    disabledReason = DISABLED_THROUGH_API,
    change: { channel?: ChannelMeta; secret?: string } = {},
  ): Promise<'ok' | 'missing' | 'conflict'> {
    const at = endpoint.updatedAt;
    // A write through /v1/webhooks keeps what the channel was (its name, its routing).
    const channel = change.channel ?? (await this.getRecord(endpoint.id))?.channel;
    const updated = await UPDATE_ENDPOINT.run(
      this.redis,
      [coordinatorKeys.webhook(endpoint.id), coordinatorKeys.webhookDeliveries(endpoint.id), coordinatorKeys.webhookCircuit(endpoint.id)],
      [
        JSON.stringify(settingsOf(endpoint, channel)),
        enabled === undefined ? '' : enabled ? '1' : '0',
        disabledReason,
        at,
        JSON.stringify(record('webhook.disabled', at, disabledReason)),
        JSON.stringify(record('webhook.enabled', at, 'enabled through the API')),
        DELIVERY_HISTORY_MAX,
        expectedRevision,
        change.secret === undefined ? '' : this.box.seal(change.secret),
      ],
    );
    return updated as 'ok' | 'missing' | 'conflict';
  }

  /** Disables an enabled endpoint, with a `webhook.disabled` record in its log; `true` when this call did it. */
  async disable(webhookId: string, reason: string, at: string): Promise<boolean> {
    const disabled = await DISABLE_ENDPOINT.run(
      this.redis,
      [coordinatorKeys.webhook(webhookId), coordinatorKeys.webhookDeliveries(webhookId)],
      [reason, at, JSON.stringify(record('webhook.disabled', at, reason)), DELIVERY_HISTORY_MAX],
    );
    return disabled === 1;
  }

  /**
   * Deletes an endpoint with its log, circuit and dead-letter index, and frees its key. With
   * `revisions` (If-Match), only if it is at one of them, checked in the same script.
   */
  async delete(webhookId: string, revisions: readonly number[] | null = null): Promise<DeleteEndpointOutcome> {
    const [outcome, revision] = (await DELETE_ENDPOINT.run(
      this.redis,
      [
        coordinatorKeys.webhook(webhookId),
        coordinatorKeys.webhookIndex(),
        coordinatorKeys.webhookDeliveries(webhookId),
        coordinatorKeys.webhookCircuit(webhookId),
        coordinatorKeys.webhookDeadLetters(webhookId),
        coordinatorKeys.webhookKeys(),
      ],
      [webhookId, revisions === null ? '' : `,${revisions.join(',')},`],
    )) as ['deleted' | 'missing' | 'stale', string];
    if (outcome === 'stale') return { outcome, revision: Number(revision) };
    return { outcome };
  }

  /**
   * Replaces the signing secret with `secret`; the one it replaces goes on signing until
   * `previousUntil` (epoch ms; `null`: it stops at once). `false` when the endpoint is gone.
   */
  async rotateSecret(webhookId: string, secret: string, previousUntil: number | null): Promise<boolean> {
    const key = coordinatorKeys.webhook(webhookId);
    for (;;) {
      const current = await this.redis.hget(key, 'secret');
      if (current === null) return false;
      // Sealed afresh (under the current key), whatever form it was stored in.
      const previous = previousUntil === null ? '' : this.box.seal(this.openSecret(current));
      const rotated = await ROTATE_SECRET.run(this.redis, [key], [current, this.box.seal(secret), previous, previousUntil ?? '']);
      if (rotated === -1) return false;
      if (rotated === 1) return true;
      // Another rotation won the race: rotate what it left.
    }
  }

  /**
   * Seals every secret still in plaintext or sealed under a previous `SECRETS_KEY` (as
   * {@link getWithSecrets} does). Run at boot so that an upgrade leaves no plaintext secret
   * behind for long. Returns the endpoints whose secrets could not be opened (with why).
   */
  async sealSecrets(): Promise<{ checked: number; unreadable: { webhookId: string; error: string }[] }> {
    const result: { checked: number; unreadable: { webhookId: string; error: string }[] } = { checked: 0, unreadable: [] };
    let cursor = '-';
    for (;;) {
      const ids = await this.redis.zrangebylex(coordinatorKeys.webhookIndex(), cursor, '+', 'LIMIT', 0, 500);
      for (const id of ids) {
        try {
          await this.getWithSecrets(id);
          result.checked++;
        } catch (error) {
          if (!(error instanceof SecretOpenError)) throw error;
          result.unreadable.push({ webhookId: id, error: error.message });
        }
      }
      const last = ids[ids.length - 1];
      if (ids.length < 500 || last === undefined) return result;
      cursor = `(${last}`;
    }
  }

  /** Endpoints after `cursor` (an endpoint id), at most `limit`. */
  async list(limit: number, cursor?: string): Promise<WebhookPage> {
    const ids = await this.redis.zrangebylex(coordinatorKeys.webhookIndex(), cursor ? `(${cursor}` : '-', '+', 'LIMIT', 0, limit + 1);
    const pageIds = ids.slice(0, limit);
    const items = await this.getMany(pageIds);
    return { items, nextCursor: ids.length > limit ? (pageIds[pageIds.length - 1] ?? null) : null };
  }

  /**
   * Every endpoint subscribed to `type`, disabled ones included: a delivery to a disabled
   * endpoint is kept as a dead letter (not sent, not lost) for a replay once it is enabled.
   */
  async subscribers(type: OutboundEventType): Promise<WebhookEndpoint[]> {
    const subscribed: WebhookEndpoint[] = [];
    let cursor = '-';
    for (;;) {
      const ids = await this.redis.zrangebylex(coordinatorKeys.webhookIndex(), cursor, '+', 'LIMIT', 0, 500);
      for (const endpoint of await this.getMany(ids)) {
        if (endpoint.events.includes(type)) subscribed.push(endpoint);
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
      [coordinatorKeys.webhook(webhookId), coordinatorKeys.webhookDeliveries(webhookId)],
      [JSON.stringify(attempt), DELIVERY_HISTORY_MAX],
    );
  }

  /** The endpoint's newest `limit` log entries, newest first. */
  async deliveries(webhookId: string, limit: number): Promise<DeliveryLogEntry[]> {
    const entries = await this.redis.lrange(coordinatorKeys.webhookDeliveries(webhookId), 0, limit - 1);
    return entries.map((entry) => withState(JSON.parse(entry) as DeliveryLogEntry));
  }

  /** Indexes a dead letter of the endpoint by when the delivery was queued (a no-op once the endpoint is deleted). */
  async addDeadLetter(webhookId: string, deliveryId: string, createdAt: number): Promise<void> {
    // Twice the jobs' retention: the index never forgets a dead letter BullMQ still keeps.
    const oldestKept = this.clock.now() - 2 * DEAD_LETTER_RETENTION_SECONDS * 1_000;
    await ADD_DEAD_LETTER.run(this.redis, [coordinatorKeys.webhook(webhookId), coordinatorKeys.webhookDeadLetters(webhookId)], [deliveryId, createdAt, oldestKept, DEAD_LETTERS_MAX]);
  }

  /** Forgets dead letters (sent again, or gone from the queue). */
  async removeDeadLetters(webhookId: string, deliveryIds: readonly string[]): Promise<void> {
    if (deliveryIds.length > 0) await this.redis.zrem(coordinatorKeys.webhookDeadLetters(webhookId), ...deliveryIds);
  }

  /** Dead letters queued in `[since, until]` (epoch ms), oldest first, at most `limit`. */
  async deadLetters(webhookId: string, since: number, until: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(coordinatorKeys.webhookDeadLetters(webhookId), since, until, 'LIMIT', 0, limit);
  }

  private async getRecords(ids: readonly string[]): Promise<ChannelRecord[]> {
    const now = this.clock.now();
    const found: ChannelRecord[] = [];
    for (const [row, circuit] of await this.readRows(ids)) {
      if (!row || !circuit) continue;
      const endpoint = endpointOf(row, circuit, now);
      found.push({ endpoint, channel: row.settings.channel ?? legacyChannelMeta(endpoint) });
    }
    return found;
  }

  private async getMany(ids: readonly string[]): Promise<WebhookEndpoint[]> {
    const now = this.clock.now();
    const found: WebhookEndpoint[] = [];
    for (const [row, circuit] of await this.readRows(ids)) {
      // An endpoint deleted between the two reads is simply left out.
      if (row && circuit) found.push(endpointOf(row, circuit, now));
    }
    return found;
  }

  /** Each endpoint's hash and circuit, in one round trip. */
  private async readRows(ids: readonly string[]): Promise<[EndpointRow | null, CircuitView | null][]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hmget(coordinatorKeys.webhook(id), ...FIELDS);
      pipeline.hmget(coordinatorKeys.webhookCircuit(id), ...CIRCUIT_FIELDS);
    }
    const replies = (await pipeline.exec()) ?? [];
    const rows: [EndpointRow | null, CircuitView | null][] = [];
    for (let i = 0; i + 1 < replies.length; i += 2) {
      const [rowError, rowValues] = replies[i]!;
      const [circuitError, circuitValues] = replies[i + 1]!;
      if (rowError) throw rowError;
      if (circuitError) throw circuitError;
      const row = rowOf(rowValues as (string | null)[]);
      rows.push(row ? [row, circuitViewOf(circuitValues as (string | null)[])] : [null, null]);
    }
    return rows;
  }

  private openSecret(stored: string): string {
    return stored.startsWith(PLAINTEXT_PREFIX) ? stored : this.box.open(stored);
  }

  private needsSealing(stored: string): boolean {
    return !SecretBox.isSealed(stored) || this.box.needsReseal(stored);
  }

  /** Seals what is not sealed under the current key, and drops a previous secret past its overlap. */
  private async maintainSecrets(webhookId: string, row: EndpointRow, now: number): Promise<void> {
    const key = coordinatorKeys.webhook(webhookId);
    if (this.needsSealing(row.secret)) {
      await REWRITE_SECRET.run(this.redis, [key], ['secret', row.secret, this.box.seal(this.openSecret(row.secret))]);
    }
    if (row.previousSecret === null) return;
    if (row.previousSecretExpiresAt === null || row.previousSecretExpiresAt <= now) {
      await REWRITE_SECRET.run(this.redis, [key], ['previousSecret', row.previousSecret, '']);
    } else if (this.needsSealing(row.previousSecret)) {
      await REWRITE_SECRET.run(this.redis, [key], ['previousSecret', row.previousSecret, this.box.seal(this.openSecret(row.previousSecret))]);
    }
  }
}

function settingsOf(endpoint: WebhookEndpoint, channel: ChannelMeta | undefined): EndpointSettings {
  const { id, url, events, description, createdAt, updatedAt } = endpoint;
  return { id, url, events, description, createdAt, updatedAt, ...(channel !== undefined ? { channel } : {}) };
}

function record(type: EndpointRecord['type'], at: string, reason: string): EndpointRecord {
  return { type, at, reason };
}

function rowOf([json, secret, enabled, disabledReason, disabledAt, previousSecret, previousSecretExpiresAt, revision, key]: (string | null)[]): EndpointRow | null {
  if (typeof json !== 'string' || typeof secret !== 'string') return null;
  return {
    settings: JSON.parse(json) as EndpointSettings,
    secret,
    enabled: enabled !== '0',
    disabledReason: disabledReason ?? null,
    disabledAt: disabledAt ?? null,
    previousSecret: previousSecret ?? null,
    previousSecretExpiresAt: previousSecretExpiresAt === null || previousSecretExpiresAt === undefined ? null : Number(previousSecretExpiresAt),
    revision: revision === null || revision === undefined ? 1 : Number(revision),
    key: key ?? null,
  };
}

function endpointOf(row: EndpointRow, circuit: CircuitView, now: number): WebhookEndpoint {
  const { settings, enabled } = row;
  const overlapEnds = row.previousSecret !== null && row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null;
  return {
    id: settings.id,
    key: row.key ?? settings.id,
    url: settings.url,
    events: settings.events,
    description: settings.description,
    enabled,
    state: enabled ? 'enabled' : 'disabled',
    disabledReason: enabled ? null : row.disabledReason,
    disabledAt: enabled ? null : row.disabledAt,
    circuit: circuit.state,
    consecutiveFailures: circuit.consecutiveFailures,
    failingSince: circuit.failingSince === null ? null : new Date(circuit.failingSince).toISOString(),
    previousSecretExpiresAt: overlapEnds === null ? null : new Date(overlapEnds).toISOString(),
    createdAt: settings.createdAt,
    updatedAt: settings.updatedAt,
    revision: row.revision,
  };
}

/** Attempts recorded by the previous version have no `state` and `nextAttemptAt`: derived from the outcome. */
function withState(entry: DeliveryLogEntry): DeliveryLogEntry {
  if (!isAttempt(entry) || typeof entry.state === 'string') return entry;
  return { ...entry, state: STATE_AFTER[entry.outcome], nextAttemptAt: entry.nextAttemptAt ?? null };
}
