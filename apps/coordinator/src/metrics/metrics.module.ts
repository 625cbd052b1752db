import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { RegionsModule } from '../regions/regions.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { WEBHOOK_DELIVERIES_QUEUE } from '../webhooks/webhook-delivery-job';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CoordinatorMetrics } from './coordinator-metrics.service';
import { MetricsController } from './metrics.controller';
import { MonitorMetricsReader } from './monitor-metrics.reader';

/** `GET /metrics`: Prometheus metrics read at scrape time. */
@Module({
  imports: [MonitorStoreModule, AgentsModule, RegionsModule, SchedulingModule, WebhooksModule, BullModule.registerQueue({ name: WEBHOOK_DELIVERIES_QUEUE })],
  controllers: [MetricsController],
  providers: [MonitorMetricsReader, CoordinatorMetrics],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class MetricsModule {}
