import type { RedisClient } from '../redis/redis-connections';
import { LuaScript } from '../redis/lua-script';

/** An endpoint's circuit: `closed` sends, `open` holds deliveries back, `half_open` lets one probe through. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** What a circuit says about its endpoint. */
export interface CircuitView {
  state: CircuitState;
  /** Failed attempts since the last success. */
  consecutiveFailures: number;
  /** Epoch ms of the first failure since the last success; `null` while the endpoint is healthy. */
  failingSince: number | null;
}

/** Whether an attempt may go now. */
export type CircuitGate =
  /** Send: the circuit is closed, or this attempt is the one probe of a half-open circuit. */
  | { go: true; probe: boolean }
  /** Hold the delivery back until `until` (epoch ms): the circuit is open, or another attempt is probing. */
  | { go: false; until: number };

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** First cool-down of an open circuit; doubled after each failed probe, up to {@link cooldownMaxMs}. */
  cooldownMs: number;
  cooldownMaxMs: number;
  /** How long a probe holds the half-open circuit; another is let through once it passes (the prober died). */
  probeLeaseMs: number;
}

/** The circuit hash's fields: `state`, `failures`, `failingSince`, `openUntil`, `probeUntil`, `opens`. */
const FIELDS = ['state', 'failures', 'failingSince'] as const;

/**
 * KEYS: circuit. ARGV: now, probe lease ms. Returns {'go'}, {'probe'} or {'wait', until}.
 * An open circuit past its cool-down turns half-open and lets this attempt through as its probe.
 */
const ADMIT = new LuaScript(
  'circuit-admit',
  1,
  `
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'closed' then return {'go', 0} end
local now = tonumber(ARGV[1])
if state == 'open' then
  local untilAt = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
  if now < untilAt then return {'wait', untilAt} end
else
  local lease = tonumber(redis.call('HGET', KEYS[1], 'probeUntil') or '0')
  if now < lease then return {'wait', lease} end
end
redis.call('HSET', KEYS[1], 'state', 'half_open', 'probeUntil', now + tonumber(ARGV[2]))
return {'probe', 0}
`,
);

/**
 * KEYS: circuit. ARGV: now, threshold, cooldown ms, max cooldown ms. Returns {state, failures, failingSince}.
 * A failed probe opens the circuit again for twice as long; a closed circuit opens at the threshold.
 */
const RECORD_FAILURE = new LuaScript(
  'circuit-failure',
  1,
  `
local now = tonumber(ARGV[1])
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local since = redis.call('HGET', KEYS[1], 'failingSince')
if not since then
  since = ARGV[1]
  redis.call('HSET', KEYS[1], 'failingSince', since)
end
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
if state == 'half_open' or (state == 'closed' and failures >= tonumber(ARGV[2])) then
  local opens = redis.call('HINCRBY', KEYS[1], 'opens', 1)
  local cooldown = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(opens - 1, 30))
  redis.call('HSET', KEYS[1], 'state', 'open', 'openUntil', math.floor(now + cooldown))
  redis.call('HDEL', KEYS[1], 'probeUntil')
  state = 'open'
end
return {state, failures, since}
`,
);

/**
 * A circuit breaker per endpoint, in Redis so every coordinator sees the same one: after
 * `threshold` consecutive failed attempts the circuit opens and deliveries to the endpoint wait
 * (delayed, not dropped, no attempt spent); after a cool-down one attempt goes through as a
 * probe; its success closes the circuit, its failure opens it again for twice as long. A dead
 * receiver then costs one connection per cool-down, whatever the number of events waiting.
 *
 * Generic over channels: it knows an endpoint only by the key it is given.
 */
export class DeliveryCircuit {
  constructor(
    private readonly redis: RedisClient,
    readonly options: CircuitOptions,
  ) {}

  /** Whether an attempt to the endpoint of `key` may go at `now`. */
  async admit(key: string, now: number): Promise<CircuitGate> {
    const [verdict, until] = (await ADMIT.run(this.redis, [key], [now, this.options.probeLeaseMs])) as [string, number];
    if (verdict === 'wait') return { go: false, until: Number(until) };
    return { go: true, probe: verdict === 'probe' };
  }

  /** A success closes the circuit and forgets the failures. */
  async recordSuccess(key: string): Promise<void> {
    await this.redis.del(key);
  }

  /** Counts a failed attempt; opens the circuit at the threshold (or again, after a failed probe). */
  async recordFailure(key: string, now: number): Promise<CircuitView> {
    const { threshold, cooldownMs, cooldownMaxMs } = this.options;
    const [state, failures, since] = (await RECORD_FAILURE.run(this.redis, [key], [now, threshold, cooldownMs, cooldownMaxMs])) as [CircuitState, number, string];
    return { state, consecutiveFailures: Number(failures), failingSince: Number(since) };
  }

  /** Closes the circuit and forgets every failure (an endpoint enabled again starts afresh). */
  async reset(key: string): Promise<void> {
    await this.redis.del(key);
  }
}

/** The fields to `HMGET` from a circuit key for {@link circuitViewOf}. */
export const CIRCUIT_FIELDS = FIELDS;

/** A circuit as read with `HMGET key ...CIRCUIT_FIELDS`; a missing key is a closed circuit. */
export function circuitViewOf([state, failures, failingSince]: readonly (string | null)[]): CircuitView {
  return {
    state: state === 'open' || state === 'half_open' ? state : 'closed',
    consecutiveFailures: failures === null || failures === undefined ? 0 : Number(failures),
    failingSince: failingSince === null || failingSince === undefined ? null : Number(failingSince),
  };
}
