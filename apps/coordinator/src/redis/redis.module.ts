import { Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RedisConnections } from './redis-connections';
import { RedisPreflight } from './redis-preflight.service';
import { REDIS_COMMANDS, REDIS_QUEUE_CONNECTION } from './redis.tokens';

/** Redis connections for the whole app; closed after everything that uses them. */
@Global()
@Module({
  providers: [
    {
      provide: RedisConnections,
      inject: [COORDINATOR_CONFIG, ROOT_LOGGER],
      useFactory: async (config: CoordinatorConfig, logger: Logger) => RedisConnections.open(config.redis, logger),
    },
    { provide: REDIS_COMMANDS, inject: [RedisConnections], useFactory: (c: RedisConnections) => c.commands },
    { provide: REDIS_QUEUE_CONNECTION, inject: [RedisConnections], useFactory: (c: RedisConnections) => c.queue },
    RedisPreflight,
  ],
  exports: [RedisConnections, REDIS_COMMANDS, REDIS_QUEUE_CONNECTION, RedisPreflight],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class RedisModule {}
