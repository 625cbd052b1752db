import { Module } from '@nestjs/common';
import { IncidentStoreModule } from '../incidents/incident-store.module';
import { MaintenanceStoreModule } from '../maintenance/maintenance-store.module';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { RollupsModule } from '../rollups/rollups.module';
import { PublicStatusController } from './public-status.controller';
import { PublicStatusPages } from './public-status-pages.service';
import { StatusPagesController } from './status-pages.controller';
import { StatusPagesRepository } from './status-pages.repository';
import { StatusPagesService } from './status-pages.service';

/** Status pages: their API (`/v1/status-pages`) and the public pages (`/status/{slug}`), which read uptime through the rollups. */
@Module({
  imports: [MonitorStoreModule, IncidentStoreModule, MaintenanceStoreModule, RollupsModule],
  controllers: [StatusPagesController, PublicStatusController],
  providers: [StatusPagesRepository, StatusPagesService, PublicStatusPages],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class StatusPagesModule {}
