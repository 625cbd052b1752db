import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { RegionsModule } from '../regions/regions.module';
import { ResultsModule } from '../results/results.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** `GET /health`. */
@Module({
  imports: [MonitorStoreModule, AgentsModule, RegionsModule, SchedulingModule, ResultsModule],
  controllers: [HealthController],
  providers: [HealthService],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class HealthModule {}
