import { Module } from '@nestjs/common';
import { IncidentStoreModule } from '../incidents/incident-store.module';
import { RegionsModule } from '../regions/regions.module';
import { RollupsModule } from '../rollups/rollups.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { MonitorDeletions } from './monitor-deletions.service';
import { MonitorStoreModule } from './monitor-store.module';
import { MonitorsController } from './monitors.controller';
import { MonitorsService } from './monitors.service';

/** The monitors API, and what deleting a monitor sets going. */
@Module({
  imports: [MonitorStoreModule, SchedulingModule, RegionsModule, IncidentStoreModule, RollupsModule],
  controllers: [MonitorsController],
  providers: [MonitorsService, MonitorDeletions],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class MonitorsModule {}
