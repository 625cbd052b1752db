import { Module } from '@nestjs/common';
import { ResultsModule } from '../results/results.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { MonitorStoreModule } from './monitor-store.module';
import { MonitorsController } from './monitors.controller';
import { MonitorsService } from './monitors.service';

/** The monitors API. */
@Module({
  imports: [MonitorStoreModule, SchedulingModule, ResultsModule],
  controllers: [MonitorsController],
  providers: [MonitorsService],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class MonitorsModule {}
