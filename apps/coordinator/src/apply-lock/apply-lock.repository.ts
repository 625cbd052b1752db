import { Inject, Injectable } from '@nestjs/common';
import type { ApplyLockGrant, ApplyLockHolder } from '@crosscheck/contract';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';

/** The lock as stored: the holder's view and its token. */
export type ApplyLockRecord = ApplyLockGrant;

/** KEYS: lock. ARGV: record JSON, lease ms. Returns {1} when taken, {0, current JSON} when someone holds it. */
const ACQUIRE = new LuaScript(
  'acquire-apply-lock',
  1,
  `
local current = redis.call('GET', KEYS[1])
if current then return {0, current} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1}
`,
);

/** KEYS: lock. ARGV: token, new record JSON, lease ms. Returns 1 when the token holds the lock (lease renewed), else 0. */
const RENEW = new LuaScript(
  'renew-apply-lock',
  1,
  `
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).token ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`,
);

/** KEYS: lock. ARGV: token. Returns 1 when the token held the lock (now released), else 0. */
const RELEASE = new LuaScript(
  'release-apply-lock',
  1,
  `
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).token ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
);

/**
 * The configuration apply lock: one key in the catalog whose lease Redis expires, so a holder that
 * died frees it by itself. Taking, renewing and releasing are each one script, so two takers can
 * never both hold it and only the token's holder can renew or release it.
 */
@Injectable()
export class ApplyLockRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** Takes the lock for `record`, or says who holds it. */
  async acquire(record: ApplyLockRecord, leaseMs: number): Promise<{ acquired: true } | { acquired: false; holder: ApplyLockHolder }> {
    const reply = (await ACQUIRE.run(this.redis, [coordinatorKeys.applyLock()], [JSON.stringify(record), leaseMs])) as [number, string?];
    if (reply[0] === 1) return { acquired: true };
    return { acquired: false, holder: holderOf(JSON.parse(reply[1] ?? '{}') as ApplyLockRecord) };
  }

  /** Renews the lease of the lock `record.token` holds; false when it holds it no more (expired, released). */
  async renew(record: ApplyLockRecord, leaseMs: number): Promise<boolean> {
    return (await RENEW.run(this.redis, [coordinatorKeys.applyLock()], [record.token, JSON.stringify(record), leaseMs])) === 1;
  }

  /** Releases the lock `token` holds; false when it holds it no more. */
  async release(token: string): Promise<boolean> {
    return (await RELEASE.run(this.redis, [coordinatorKeys.applyLock()], [token])) === 1;
  }

  /** The lock as stored, or null when nobody holds it. */
  async current(): Promise<ApplyLockRecord | null> {
    const json = await this.redis.get(coordinatorKeys.applyLock());
    return json === null ? null : (JSON.parse(json) as ApplyLockRecord);
  }
}

/** The lock without its token: what anyone who finds it held is shown. */
export function holderOf(record: ApplyLockRecord): ApplyLockHolder {
  return { holder: record.holder, acquiredAt: record.acquiredAt, expiresAt: record.expiresAt };
}
