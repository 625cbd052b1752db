import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CheckDeadlines } from './check-deadlines.repository';
import { CheckSweeper } from './check-sweeper.service';
import { RegionLifecycle } from './region-lifecycle.service';
import { RegionQueues } from './region-queues.service';
import { RegionsController } from './regions.controller';
import { RegionsRepository } from './regions.repository';
import { RegionsService } from './regions.service';

/**
 * Regions as resources: the registry and its API, the lifecycle that opens and closes what each
 * region needs on this coordinator, the regions' queues as the coordinator produces to them, and
 * the sweep that keeps their check jobs within their deadlines.
 */
@Module({
  imports: [AgentsModule],
  controllers: [RegionsController],
  providers: [RegionsRepository, RegionLifecycle, CheckDeadlines, RegionQueues, CheckSweeper, RegionsService],
  exports: [RegionsRepository, RegionLifecycle, RegionQueues],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class RegionsModule {}
