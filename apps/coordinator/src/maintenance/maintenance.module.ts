import { Module } from '@nestjs/common';
import { MaintenanceEvents } from './maintenance-events.service';
import { MaintenanceStoreModule } from './maintenance-store.module';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceService } from './maintenance.service';

/** Maintenance windows: their API (`/v1/maintenance`) and their `maintenance.started` / `.ended` events. */
@Module({
  imports: [MaintenanceStoreModule],
  controllers: [MaintenanceController],
  providers: [MaintenanceService, MaintenanceEvents],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class MaintenanceModule {}
