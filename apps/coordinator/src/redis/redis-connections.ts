import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

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
    readonly commands: Redis,
    /** Shared by BullMQ queues and workers: commands wait for Redis to come back. */
    readonly queue: Redis,
  ) {}

  /**
   * Opens both connections to `url` and waits (at most `readyTimeoutMs`) for the commands one to
   * be ready, so the first requests do not fail for want of a connection. A Redis that is away at
   * boot does not stop the boot: the connections keep trying.
   */
  static async open(url: string, logger: Logger, readyTimeoutMs = 3_000): Promise<RedisConnections> {
    const common: RedisOptions = { retryStrategy: retryForever, enableReadyCheck: true };
    const commands = new Redis(url, {
      ...common,
      connectionName: 'crosscheck-coordinator',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 5_000,
    });
    const queue = new Redis(url, { ...common, connectionName: 'crosscheck-coordinator-queues', maxRetriesPerRequest: null });
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

  private watch(connection: Redis, logger: Logger, notify: boolean): void {
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

async function close(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  // QUIT waits for Redis; when Redis is away, drop the socket rather than hang the shutdown.
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 1_000, 'timeout').unref());
  const outcome = await Promise.race([connection.quit().catch(() => 'failed' as const), timeout]);
  if (outcome !== 'OK') connection.disconnect();
}
