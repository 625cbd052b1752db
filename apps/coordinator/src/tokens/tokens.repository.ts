import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { ApiToken, TokenGrant } from './api-token';

/** Tokens that may exist at once: a bound on what the list and Redis hold. */
export const MAX_API_TOKENS = 1_000;

/**
 * KEYS: token hash, by-hash key, index. ARGV: id, json, sha256 hex, grant JSON, max tokens.
 * Returns 1; 0 when the id or the hash is taken; -1 when there are already max tokens.
 */
const CREATE_TOKEN = new LuaScript(
  'create-api-token',
  3,
  `
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[5]) then return -1 end
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'hash', ARGV[3])
redis.call('SET', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
return 1
`,
);

/** KEYS: token hash, by-hash key, index. ARGV: id, sha256 hex. Returns 1 when the token existed (with that hash). */
const DELETE_TOKEN = new LuaScript(
  'delete-api-token',
  3,
  `
if redis.call('HGET', KEYS[1], 'hash') ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
`,
);

/** KEYS: token hash. ARGV: at. Only while the token exists, so that a use racing a revocation leaves nothing behind. */
const RECORD_USE = new LuaScript(
  'record-api-token-use',
  1,
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1])
return 1
`,
);

/** One page of tokens, in creation order. */
export interface TokenPage {
  items: ApiToken[];
  nextCursor: string | null;
}

/** What `json` holds: the token's record without its use. */
type TokenSettings = Omit<ApiToken, 'lastUsedAt'>;

/** Why a token could not be stored. */
export type CreateOutcome = 'created' | 'taken' | 'full';

/**
 * API tokens in Redis: hash `cc:{c}:token:<id>` (record, SHA-256 of the token, last use), the
 * lookup `cc:{c}:token-hash:<sha256>` -> `{id, scope}` read on every request, and the index
 * `cc:{c}:tokens`. The token itself is never stored.
 */
@Injectable()
export class TokensRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  async create(token: Omit<ApiToken, 'lastUsedAt'>, sha256Hex: string): Promise<CreateOutcome> {
    const settings: TokenSettings = { id: token.id, name: token.name, scope: token.scope, createdAt: token.createdAt };
    const grant: TokenGrant = { id: token.id, scope: token.scope };
    const outcome = await CREATE_TOKEN.run(
      this.redis,
      [coordinatorKeys.token(token.id), coordinatorKeys.tokenByHash(sha256Hex), coordinatorKeys.tokenIndex()],
      [token.id, JSON.stringify(settings), sha256Hex, JSON.stringify(grant), MAX_API_TOKENS],
    );
    return outcome === 1 ? 'created' : outcome === -1 ? 'full' : 'taken';
  }

  async get(tokenId: string): Promise<ApiToken | null> {
    const [json, lastUsedAt] = await this.redis.hmget(coordinatorKeys.token(tokenId), 'json', 'lastUsedAt');
    return fromFields(json ?? null, lastUsedAt ?? null);
  }

  /** The grant of the token whose SHA-256 this is; `null` when none (never made, or revoked). */
  async findByHash(sha256Hex: string): Promise<TokenGrant | null> {
    const json = await this.redis.get(coordinatorKeys.tokenByHash(sha256Hex));
    return json === null ? null : (JSON.parse(json) as TokenGrant);
  }

  /** Deletes a token and its lookup; `false` when there was none. */
  async delete(tokenId: string): Promise<boolean> {
    const hash = await this.redis.hget(coordinatorKeys.token(tokenId), 'hash');
    if (hash === null) return false;
    const deleted = await DELETE_TOKEN.run(
      this.redis,
      [coordinatorKeys.token(tokenId), coordinatorKeys.tokenByHash(hash), coordinatorKeys.tokenIndex()],
      [tokenId, hash],
    );
    return deleted === 1;
  }

  /** Records that a request carried the token (a no-op once it is revoked). */
  async recordUse(tokenId: string, at: string): Promise<void> {
    await RECORD_USE.run(this.redis, [coordinatorKeys.token(tokenId)], [at]);
  }

  /** Tokens after `cursor` (a token id), at most `limit`. */
  async list(limit: number, cursor?: string): Promise<TokenPage> {
    const ids = await this.redis.zrangebylex(coordinatorKeys.tokenIndex(), cursor ? `(${cursor}` : '-', '+', 'LIMIT', 0, limit + 1);
    const pageIds = ids.slice(0, limit);
    const items: ApiToken[] = [];
    if (pageIds.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const id of pageIds) pipeline.hmget(coordinatorKeys.token(id), 'json', 'lastUsedAt');
      for (const [error, values] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        const [json, lastUsedAt] = values as (string | null)[];
        // A token revoked between the two reads is simply left out.
        const token = fromFields(json ?? null, lastUsedAt ?? null);
        if (token) items.push(token);
      }
    }
    return { items, nextCursor: ids.length > limit ? (pageIds[pageIds.length - 1] ?? null) : null };
  }
}

function fromFields(json: string | null, lastUsedAt: string | null): ApiToken | null {
  if (json === null) return null;
  const settings = JSON.parse(json) as TokenSettings;
  return { id: settings.id, name: settings.name, scope: settings.scope, createdAt: settings.createdAt, lastUsedAt };
}
