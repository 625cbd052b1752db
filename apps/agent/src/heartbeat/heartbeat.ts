import { AGENT_STALE_AFTER_MS, agentKey, agentsKey, HEARTBEAT_INTERVAL_MS } from '@crosscheck/contract';
import type { RedisClient } from '../redis/redis-connection';
import type { Logger } from '../logging/logger';

/** Who is beating: written to the agent's hash on every beat. */
export interface AgentIdentity {
  region: string;
  agentId: string;
  version: string;
  host: string;
  pid: number;
  startedAt: number;
  concurrency: number;
  /** The agent's memory budget for bodies in flight (`AGENT_MEMORY_BUDGET_BYTES`). */
  memoryBudgetBytes: number;
}

export interface HeartbeatOptions {
  redis: RedisClient;
  identity: AgentIdentity;
  /** Checks in flight at the moment of the beat (those waiting for memory included). */
  inFlight: () => number;
  /** Body bytes reserved by checks, and checks waiting for memory, at the moment of the beat. */
  memory: () => { reservedBytes: number; waiting: number };
  logger: Logger;
  intervalMs?: number;
  now?: () => number;
}

/** The agent's hash outlives a few missed beats, then Redis forgets it by itself. */
export const AGENT_HASH_TTL_MS = AGENT_STALE_AFTER_MS * 3;

/**
 * Region members long gone (a restarted pod gets a new id) are pruned from the sorted set after
 * this, so it stays small; well beyond anything the coordinator needs to call a region blind.
 */
export const FORGET_AGENTS_AFTER_MS = 24 * 3_600_000;

/**
 * Tells the coordinator this agent is alive: `ZADD <region>:agents <now> <agentId>` and the agent's
 * hash, every {@link HEARTBEAT_INTERVAL_MS}. A failed beat is logged and tried again next tick;
 * a heartbeat never takes the agent down.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;
  private readonly onReady = (): void => this.tick();
  private failures = 0;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: HeartbeatOptions) {
    this.intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Beats as soon as Redis is connected, then every interval. */
  start(): void {
    this.stopped = false;
    // The connection fails fast while offline; the first beat waits for it rather than fail at boot.
    if (this.options.redis.status === 'ready') this.tick();
    else this.options.redis.once('ready', this.onReady);
  }

  /** One beat. Resolves `false` (after logging) when Redis did not take it. */
  async beat(): Promise<boolean> {
    const { redis, identity } = this.options;
    const now = this.now();
    const memory = this.options.memory();
    try {
      await redis
        .multi()
        .zadd(agentsKey(identity.region), now, identity.agentId)
        .zremrangebyscore(agentsKey(identity.region), '-inf', now - FORGET_AGENTS_AFTER_MS)
        .hset(agentKey(identity.region, identity.agentId), {
          region: identity.region,
          agentId: identity.agentId,
          version: identity.version,
          host: identity.host,
          pid: identity.pid,
          startedAt: identity.startedAt,
          inFlight: this.options.inFlight(),
          concurrency: identity.concurrency,
          memoryBudgetBytes: identity.memoryBudgetBytes,
          memoryReservedBytes: memory.reservedBytes,
          waitingForMemory: memory.waiting,
          lastBeat: now,
        })
        .pexpire(agentKey(identity.region, identity.agentId), AGENT_HASH_TTL_MS)
        .exec()
        .then(throwFirstError);
      if (this.failures > 0) this.options.logger.info({ missedBeats: this.failures }, 'heartbeat restored');
      this.failures = 0;
      return true;
    } catch (error) {
      this.failures += 1;
      // First failure at warn; a long outage then repeats only every 30 beats.
      if (this.failures === 1 || this.failures % 30 === 0) {
        this.options.logger.warn({ err: error, missedBeats: this.failures }, 'heartbeat failed; retrying next tick');
      }
      return false;
    }
  }

  /** Stops beating and removes this agent from the region's list, so it is not reported as lost. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.options.redis.off('ready', this.onReady);
    clearTimeout(this.timer);
    await this.beating;
    const { redis, identity } = this.options;
    try {
      await redis
        .multi()
        .zrem(agentsKey(identity.region), identity.agentId)
        .del(agentKey(identity.region, identity.agentId))
        .exec()
        .then(throwFirstError);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not remove heartbeat; it expires by itself');
    }
  }

  private tick(): void {
    this.beating = this.beat().then(() => {
      this.beating = undefined;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.tick(), this.intervalMs);
      this.timer.unref();
    });
  }
}

/** `EXEC` reports each command's error in its reply instead of rejecting (e.g. `NOPERM` from an ACL). */
function throwFirstError(replies: [error: Error | null, result: unknown][] | null): void {
  if (replies === null) throw new Error('transaction aborted');
  const failed = replies.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
