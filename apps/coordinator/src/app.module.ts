import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { CATALOG_PREFIX } from './redis/coordinator-keys';
import type { RedisClient } from './redis/redis-connections';
import type { Logger } from 'pino';
import { AgentsModule } from './agents/agents.module';
import { ApplyLockModule } from './apply-lock/apply-lock.module';
import { AuthModule } from './auth/auth.module';
import type { CoordinatorConfig } from './config/coordinator-config';
import type { Clock } from './core/clock';
import { CoreModule } from './core/core.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { MetricsModule } from './metrics/metrics.module';
import { MonitorsModule } from './monitors/monitors.module';
import { QueuesModule } from './queues/queues.module';
import { RedisModule } from './redis/redis.module';
import { REDIS_QUEUE_CONNECTION } from './redis/redis.tokens';
import { ResultsModule } from './results/results.module';
import { RollupsModule } from './rollups/rollups.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { TokensModule } from './tokens/tokens.module';
import { SecretsModule } from './secrets/secrets.module';
import { StatusPagesModule } from './status-pages/status-pages.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The coordinator: every feature module over one config, logger, clock and pair of Redis connections. */
@Module({})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class AppModule {
  static register(config: CoordinatorConfig, logger: Logger, clock?: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, logger, clock),
        RedisModule,
        QueuesModule,
        BullModule.forRootAsync({
          inject: [REDIS_QUEUE_CONNECTION],
          useFactory: (connection: RedisClient) => ({ connection, prefix: CATALOG_PREFIX }),
        }),
        AuthModule,
        MonitorsModule,
        SchedulingModule,
        ResultsModule,
        RollupsModule,
        IncidentsModule,
        MaintenanceModule,
        AgentsModule,
        ApplyLockModule,
        HealthModule,
        MetricsModule,
        WebhooksModule,
        TokensModule,
        SecretsModule,
        DashboardModule,
        StatusPagesModule,
      ],
    };
  }
}
