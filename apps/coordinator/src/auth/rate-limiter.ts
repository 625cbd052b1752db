import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';

/** What one request costs against a limit: allowed, or refused until `retryAfterMs` from now. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * GCRA (the generic cell rate algorithm, a leaky bucket kept as one timestamp): a subject may make
 * `limit` requests at once, then one every 60000 / `limit` ms. The time is Redis's, so every
 * coordinator on it counts against the same clock. A refused request costs nothing.
 * KEYS: the subject's key. ARGV: limit per minute. Returns {1, 0} allowed, or {0, ms to wait}.
 */
const CONSUME = new LuaScript(
  'rate-limit-consume',
  1,
  `
local limit = tonumber(ARGV[1])
local interval = 60000 / limit
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local allowAt = tat + interval - 60000
if allowAt > now then return {0, math.ceil(allowAt - now)} end
local nextTat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now))
return {1, 0}
`,
);

/** Requests per minute per subject, counted in Redis so that every coordinator shares the count. */
@Injectable()
export class RateLimiter {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** Counts one request of `subject` (`token:<id>`, `address:<ip>`) against `limitPerMinute` (> 0). */
  async consume(subject: string, limitPerMinute: number): Promise<RateDecision> {
    const [allowed, retryAfterMs] = (await CONSUME.run(this.redis, [coordinatorKeys.rateLimit(subject)], [limitPerMinute])) as [number, number];
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs };
  }
}
