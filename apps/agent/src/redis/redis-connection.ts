import type { RedisTarget } from '@crosscheck/contract';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger';

/** What a connection is for: it decides how commands behave while Redis is unreachable. */
export type ConnectionRole =
  /**
   * The BullMQ worker's: commands wait for the reconnection instead of failing
   * (`maxRetriesPerRequest: null`, offline queue on), as BullMQ requires for workers.
   */
  | 'worker'
  /**
   * Results and heartbeats: fail fast while Redis is away (offline queue off), so a check
   * is retried or dropped by its deadline and a heartbeat is simply retried next tick.
   */
  | 'producer';

/**
 * Reconnection delay: quick at first (a Redis restart or failover takes a second or two), then
 * capped at 5 s, with jitter so a region's agents do not reconnect in lockstep. Never gives up:
 * an agent that stops reconnecting is a silent region.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(100 * 2 ** Math.min(attempt, 16), 5_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** A connection to one Redis or to a Redis Cluster: the agent uses either the same way. */
export type RedisClient = Redis | Cluster;

/** Opens an ioredis connection to `target` for one role; connection trouble is logged, never thrown. */
export function createRedisConnection(target: RedisTarget, role: ConnectionRole, logger: Logger): RedisClient {
  const options: RedisOptions = {
    connectionName: `crosscheck-agent:${role}`,
    // An agent's ACL user may not run INFO (it describes the whole server), which the ready check
    // reads; nor CLIENT SETINFO. See regionAclRule in libs/contract. A Redis still loading its data
    // answers LOADING instead, which the worker and the heartbeat retry like any outage.
    enableReadyCheck: false,
    disableClientInfo: true,
    retryStrategy: (attempt) => reconnectDelay(attempt),
    // Catches half-open TCP connections (a NAT or firewall dropping state) that would never error.
    keepAlive: 10_000,
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableOfflineQueue: true }
      : // Results of checks finishing together go to Redis in one write instead of one each.
        { maxRetriesPerRequest: 2, enableOfflineQueue: false, connectTimeout: 5_000, enableAutoPipelining: true }),
  };
  const redis = target.mode === 'single' ? new Redis(target.url, options) : clusterConnection(target, options);
  const log = logger.child({ redis: role });
  let lost = false;
  redis.on('error', (error: Error) => {
    // ioredis emits one per failed attempt; debug keeps a long outage from flooding the log.
    log[lost ? 'debug' : 'warn']({ err: error }, 'redis connection error');
  });
  // 'reconnecting', not 'close': a deliberate quit at shutdown closes too, but never reconnects.
  redis.on('reconnecting', (delayMs: number) => {
    if (!lost) log.warn({ delayMs }, 'redis connection lost; reconnecting');
    lost = true;
  });
  redis.on('ready', () => {
    if (lost) log.info('redis connection restored');
    lost = false;
  });
  return redis;
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether an error only says Redis is unreachable. BullMQ re-emits these from every connection it
 * holds; the connection itself already logged the outage once, so callers log them at debug.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (
    (code !== undefined && CONNECTION_ERROR_CODES.has(code)) ||
    // The last ones: a Redis Cluster between a master's failure and its replica's promotion.
    /Connection is closed|Stream isn't writeable|^CLUSTERDOWN|^TRYAGAIN|None of startup nodes is available|Failed to refresh slots cache|Cluster isn't ready/.test(error.message)
  );
}

/**
 * A cluster connection with the same per-node options. The region's keys share one hash tag
 * (`cc:r:{<region>}`), so the agent works with one shard; ioredis follows that shard's slot to
 * its new master after a failover. The ACL user must exist on every node (ACL files are per node).
 */
function clusterConnection(target: Extract<RedisTarget, { mode: 'cluster' }>, options: RedisOptions): Cluster {
  const { enableOfflineQueue, retryStrategy, ...perNode } = options;
  return new Cluster(target.nodes, {
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    // The agent's ACL user may not run INFO; the cluster's ready check reads CLUSTER INFO.
    enableReadyCheck: false,
    clusterRetryStrategy: (attempt) => reconnectDelay(attempt),
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2_000,
    redisOptions: {
      ...perNode,
      ...(retryStrategy ? { retryStrategy } : {}),
      ...(target.username !== undefined ? { username: target.username } : {}),
      ...(target.password !== undefined ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  });
}
