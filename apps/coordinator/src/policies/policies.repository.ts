import { Inject, Injectable } from '@nestjs/common';
import type { PolicyView } from '@crosscheck/contract';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';

/** A policy as stored: the view without `key` and `revision` (kept beside it), and `key` when it has one. */
export type Policy = Omit<PolicyView, 'key' | 'revision'> & { key?: string };

export interface StoredPolicy {
  policy: Policy;
  revision: number;
}

/**
 * Writes a policy, claiming its key on create, checking that every channel it names exists and that
 * no other policy is the default, in one script (all in the catalog's slot, with the channels).
 * KEYS: policy hash, policy index, key index, channel index, default holder.
 * ARGV: id, json, new revision, expected revision ('' = create), key ('' = none), max policies, default ('1'/'0'), channel id...
 * Returns 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many' | 'key_taken:<owner>' | 'default_taken:<owner>' | 'unknown_channels:<id,id>'.
 */
const SAVE_POLICY = new LuaScript(
  'save-policy',
  5,
  `
local current = redis.call('HGET', KEYS[1], 'revision')
if ARGV[4] == '' then
  if current then return 'exists' end
  if ARGV[5] ~= '' then
    local owner = redis.call('HGET', KEYS[3], ARGV[5])
    if owner then return 'key_taken:' .. owner end
  end
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then return 'too_many' end
else
  if not current then return 'missing' end
  if current ~= ARGV[4] then return 'conflict' end
end
local holder = redis.call('GET', KEYS[5])
if ARGV[7] == '1' and holder and holder ~= ARGV[1] then return 'default_taken:' .. holder end
local unknown = {}
for i = 8, #ARGV do
  if not redis.call('ZSCORE', KEYS[4], ARGV[i]) then unknown[#unknown + 1] = ARGV[i] end
end
if #unknown > 0 then return 'unknown_channels:' .. table.concat(unknown, ',') end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'revision', ARGV[3])
if ARGV[4] == '' and ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'key', ARGV[5])
  redis.call('HSET', KEYS[3], ARGV[5], ARGV[1])
end
if ARGV[7] == '1' then redis.call('SET', KEYS[5], ARGV[1]) elseif holder == ARGV[1] then redis.call('DEL', KEYS[5]) end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 'ok'
`,
);

/** KEYS: policy hash, index, key index, default holder. ARGV: id, revisions (',3,'; '' = any). Returns {'deleted'|'missing'|'stale', revision}. */
const DELETE_POLICY = new LuaScript(
  'delete-policy',
  4,
  `
local found = redis.call('HMGET', KEYS[1], 'revision', 'key')
if not found[1] then return {'missing', ''} end
if ARGV[2] ~= '' and not string.find(ARGV[2], ',' .. found[1] .. ',', 1, true) then return {'stale', found[1]} end
if found[2] then redis.call('HDEL', KEYS[3], found[2]) end
if redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {'deleted', ''}
`,
);

export type SavePolicyOutcome =
  | 'ok'
  | 'exists'
  | 'missing'
  | 'conflict'
  | 'too_many'
  | { keyTakenBy: string }
  | { defaultTakenBy: string }
  | { unknownChannels: string[] };

export type DeletePolicyOutcome = { outcome: 'deleted' } | { outcome: 'missing' } | { outcome: 'stale'; revision: number };

/**
 * Notification policies in Redis, in the catalog: hash `cc:{c}:policy:<id>`, listed by
 * `cc:{c}:policies`, found by key in `cc:{c}:policy-keys`, the default one named by
 * `cc:{c}:policy-default`. There are few (at most `MAX_POLICIES`): routing reads them all.
 */
@Injectable()
export class PoliciesRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  async create(policy: Policy, maxPolicies: number): Promise<SavePolicyOutcome> {
    return this.save(policy, 1, '', maxPolicies);
  }

  async update(policy: Policy, expectedRevision: number): Promise<SavePolicyOutcome> {
    return this.save(policy, expectedRevision + 1, String(expectedRevision), Number.MAX_SAFE_INTEGER);
  }

  async delete(policyId: string, revisions: readonly number[] | null): Promise<DeletePolicyOutcome> {
    const [outcome, revision] = (await DELETE_POLICY.run(
      this.redis,
      [coordinatorKeys.policy(policyId), coordinatorKeys.policyIndex(), coordinatorKeys.policyKeys(), coordinatorKeys.policyDefault()],
      [policyId, revisions === null ? '' : `,${revisions.join(',')},`],
    )) as ['deleted' | 'missing' | 'stale', string];
    if (outcome === 'stale') return { outcome, revision: Number(revision) };
    return { outcome };
  }

  async get(policyId: string): Promise<StoredPolicy | null> {
    return (await this.getMany([policyId]))[0] ?? null;
  }

  async idOfKey(key: string): Promise<string | null> {
    return this.redis.hget(coordinatorKeys.policyKeys(), key);
  }

  async list(limit: number, cursor?: string): Promise<{ items: StoredPolicy[]; nextCursor: string | null }> {
    const ids = await this.redis.zrangebylex(coordinatorKeys.policyIndex(), cursor ? `(${cursor}` : '-', '+', 'LIMIT', 0, limit + 1);
    const page = ids.slice(0, limit);
    return { items: await this.getMany(page), nextCursor: ids.length > limit ? (page[page.length - 1] ?? null) : null };
  }

  /** Every policy, in id order. */
  async all(): Promise<StoredPolicy[]> {
    return this.getMany(await this.redis.zrange(coordinatorKeys.policyIndex(), 0, -1));
  }

  private async getMany(ids: readonly string[]): Promise<StoredPolicy[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(coordinatorKeys.policy(id), 'json', 'revision', 'key');
    const found: StoredPolicy[] = [];
    for (const [error, fields] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      const [json, revision, key] = fields as (string | null)[];
      if (typeof json !== 'string') continue;
      const settings = JSON.parse(json) as Omit<Policy, 'key'>;
      found.push({ policy: { ...settings, ...(typeof key === 'string' ? { key } : {}) }, revision: Number(revision ?? 1) });
    }
    return found;
  }

  private async save(policy: Policy, revision: number, expectedRevision: string, maxPolicies: number): Promise<SavePolicyOutcome> {
    const { key, ...settings } = policy;
    const channels = [...new Set([...policy.channels, ...(policy.escalation?.channels ?? [])])];
    const outcome = String(
      await SAVE_POLICY.run(
        this.redis,
        [coordinatorKeys.policy(policy.id), coordinatorKeys.policyIndex(), coordinatorKeys.policyKeys(), coordinatorKeys.webhookIndex(), coordinatorKeys.policyDefault()],
        [policy.id, JSON.stringify(settings), revision, expectedRevision, key ?? '', maxPolicies, policy.default ? '1' : '0', ...channels],
      ),
    );
    const at = outcome.indexOf(':');
    const [kind, value] = at === -1 ? [outcome, ''] : [outcome.slice(0, at), outcome.slice(at + 1)];
    if (kind === 'key_taken') return { keyTakenBy: value };
    if (kind === 'default_taken') return { defaultTakenBy: value };
    if (kind === 'unknown_channels') return { unknownChannels: value.split(',') };
    return kind as 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many';
  }
}
