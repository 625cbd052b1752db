import { Module } from '@nestjs/common';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { RegionsModule } from '../regions/regions.module';
import { ResultsModule } from '../results/results.module';
import { RoundScheduler } from './round-scheduler.service';
import { RoundStarter } from './round-starter.service';
import { RoundStats } from './round-stats';
import { RoundsProcessor } from './rounds.processor';
import { ScheduleReconciler } from './schedule-reconciler.service';
import { StatsController } from './stats.controller';

/** Schedules rounds (one BullMQ job scheduler per monitor) and starts them (fan-out to the regions). */
@Module({
  imports: [MonitorStoreModule, RegionsModule, ResultsModule],
  controllers: [StatsController],
  providers: [{ provide: RoundStats, useFactory: () => new RoundStats() }, RoundScheduler, RoundStarter, RoundsProcessor, ScheduleReconciler],
  exports: [RoundScheduler, RoundStats],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class SchedulingModule {}
