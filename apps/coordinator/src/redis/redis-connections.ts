import type { OnApplicationShutdown } from '@nestjs/common';
import type { RedisTarget } from '@crosscheck/contract';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** A connection to one Redis or to a Redis Cluster: the coordinator uses either the same way. */
export type RedisClient = Redis | Cluster;

/**
 * Reconnect forever, backing off to one attempt a second: Redis restarts must not need a process
 * restart, and a request waiting on the commands connection learns within about a second that
 * Redis is away.
 */
function retryForever(times: number): number {
  return Math.min(50 * 2 ** Math.min(times, 5), 1_000);
}

/**
 * The coordinator's two Redis connections and their life: created at boot, watched (an outage is
 * logged once when it starts and once when it ends), closed last at shutdown.
 */
export class RedisConnections implements OnApplicationShutdown {
  private readonly reconnectListeners = new Set<() => void>();

  private constructor(
    /**
     * API reads/writes and Lua scripts. Without an offline queue: while Redis is away a command
     * fails at once (the API answers 503) instead of waiting for a reconnect.
     */
    readonly commands: RedisClient,
    /** Shared by BullMQ queues and workers: commands wait for Redis to come back. */
    readonly queue: RedisClient,
  ) {}

  /**
   * Opens both connections to `target` and waits (at most `readyTimeoutMs`) for the commands one to
   * be ready, so the first requests do not fail for want of a connection. A Redis that is away at
   * boot does not stop the boot: the connections keep trying.
   */
  static async open(target: RedisTarget, logger: Logger, readyTimeoutMs = 3_000): Promise<RedisConnections> {
    const commandOptions: RedisOptions = {
      connectionName: 'crosscheck-coordinator',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 5_000,
    };
    const queueOptions: RedisOptions = { connectionName: 'crosscheck-coordinator-queues', maxRetriesPerRequest: null };
    const commands = connect(target, commandOptions);
    const queue = connect(target, queueOptions);
    const connections = new RedisConnections(commands, queue);
    connections.watch(commands, logger.child({ component: 'redis', connection: 'commands' }), true);
    connections.watch(queue, logger.child({ component: 'redis', connection: 'queues' }), false);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, readyTimeoutMs);
      commands.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return connections;
  }

  /** Calls `listener` each time the commands connection is ready again after losing Redis. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([close(this.commands), close(this.queue)]);
  }

  private watch(connection: RedisClient, logger: Logger, notify: boolean): void {
    let lost = false;
    connection.on('error', (error: Error) => {
      if (!lost) logger.error({ err: error }, 'redis connection lost; reconnecting until it is back');
      lost = true;
    });
    connection.on('close', () => {
      if (connection.status !== 'end') lost = true;
    });
    connection.on('ready', () => {
      if (!lost) return;
      lost = false;
      logger.warn('redis connection restored');
      if (notify) for (const listener of this.reconnectListeners) listener();
    });
  }
}

/**
 * One connection to the target. On a cluster, ioredis follows the slots (MOVED/ASK) and the
 * promotions: after a master fails, commands to its slots fail until a replica takes over and the
 * slot table is read again; the same reconnection policy applies to every node.
 */
function connect(target: RedisTarget, options: RedisOptions): RedisClient {
  const common: RedisOptions = { retryStrategy: retryForever, enableReadyCheck: true };
  if (target.mode === 'single') return new Redis(target.url, { ...common, ...options });
  const { enableOfflineQueue, ...perNode } = options;
  const clusterOptions: ClusterOptions = {
    clusterRetryStrategy: retryForever,
    enableReadyCheck: true,
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    // A failover takes the cluster's node timeout plus an election: retry moved slots meanwhile.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: 2_000,
    redisOptions: {
      ...common,
      ...perNode,
      ...(target.username !== undefined ? { username: target.username } : {}),
      ...(target.password !== undefined ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
  };
  return new Cluster(target.nodes, clusterOptions);
}

/**
 * A new connection to the same Redis (or cluster) as `client`, with `options` for each connection
 * (a dedicated connection for blocking reads, say).
 */
export function duplicateConnection(client: RedisClient, options: RedisOptions): RedisClient {
  if (client instanceof Cluster) {
    const { enableOfflineQueue, ...perNode } = options;
    return client.duplicate(undefined, {
      ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
      redisOptions: { ...client.options.redisOptions, ...perNode },
    });
  }
  return client.duplicate(options);
}

/** Whether `client` talks to a Redis Cluster (where a command's keys must share one slot). */
export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

async function close(connection: RedisClient): Promise<void> {
  if (connection.status === 'end') return;
  // QUIT waits for Redis; when Redis is away, drop the socket rather than hang the shutdown.
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 1_000, 'timeout').unref());
  const outcome = await Promise.race([connection.quit().catch(() => 'failed' as const), timeout]);
  if (outcome !== 'OK') connection.disconnect();
}
