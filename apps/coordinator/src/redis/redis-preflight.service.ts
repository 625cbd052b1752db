import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { isCluster, type RedisClient } from './redis-connections';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RedisConnections } from './redis-connections';
import { REDIS_COMMANDS } from './redis.tokens';

/** What `CONFIG GET` said about the settings the coordinator depends on; `null` when it could not tell. */
export interface RedisSettings {
  maxmemoryPolicy: string | null;
  appendonly: string | null;
}

/**
 * Checks at boot (and after each reconnect) that Redis is configured as queues need it:
 * `maxmemory-policy noeviction`, or keys (jobs, rounds, monitors) can silently vanish under memory
 * pressure. Managed Redis often disables `CONFIG`; that is tolerated and said so.
 */
@Injectable()
export class RedisPreflight implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'redis-preflight' });
  }

  onApplicationBootstrap(): void {
    this.connections.onReconnect(() => void this.check());
    void this.check();
  }

  /** Reads the settings; never throws. */
  async readSettings(): Promise<RedisSettings> {
    const [maxmemoryPolicy, appendonly] = await Promise.all([this.configGet('maxmemory-policy'), this.configGet('appendonly')]);
    return { maxmemoryPolicy, appendonly };
  }

  private async check(): Promise<void> {
    try {
      await this.redis.ping();
    } catch (error) {
      this.logger.error({ err: error }, 'redis is not reachable at boot; the coordinator keeps retrying');
      return;
    }
    const settings = await this.readSettings();
    if (settings.maxmemoryPolicy === null) {
      this.logger.warn(
        'could not read maxmemory-policy (CONFIG GET is disabled or denied): make sure Redis runs with maxmemory-policy noeviction',
      );
    } else if (settings.maxmemoryPolicy !== 'noeviction') {
      this.logger.warn(
        { maxmemoryPolicy: settings.maxmemoryPolicy },
        `!!! REDIS MAXMEMORY-POLICY IS "${settings.maxmemoryPolicy}", NOT "noeviction" !!! Under memory pressure Redis will evict ` +
          'queue jobs, rounds and monitors without telling anyone. Set "maxmemory-policy noeviction" in redis.conf.',
      );
    }
    if (settings.appendonly === 'no') {
      this.logger.warn('redis runs without AOF persistence (appendonly no): a Redis restart loses monitors, schedules and history');
    }
  }

  /**
   * A setting as Redis reports it; on a cluster, the first master whose value differs from the
   * others' wins (one evicting node is enough to lose keys), `null` when one cannot be read.
   */
  private async configGet(parameter: string): Promise<string | null> {
    const nodes: { call: RedisClient['call'] }[] = isCluster(this.redis) ? this.redis.nodes('master') : [this.redis];
    if (nodes.length === 0) return null;
    const values = await Promise.all(nodes.map((node) => readConfig(node, parameter)));
    if (values.includes(null)) return null;
    const safe = parameter === 'maxmemory-policy' ? 'noeviction' : 'yes';
    return values.find((value) => value !== safe) ?? values[0]!;
  }
}

async function readConfig(node: { call: RedisClient['call'] }, parameter: string): Promise<string | null> {
  try {
    const reply = (await node.call('CONFIG', 'GET', parameter)) as unknown;
    return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
  } catch {
    return null;
  }
}
