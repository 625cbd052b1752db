import { Module } from '@nestjs/common';
import { MaintenanceCalendar } from './maintenance-calendar.service';
import { MaintenanceRepository } from './maintenance.repository';

/** Maintenance windows' storage and calendar alone, for the features that ask whether a monitor is in one (incidents, status pages). */
@Module({ providers: [MaintenanceRepository, MaintenanceCalendar], exports: [MaintenanceRepository, MaintenanceCalendar] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class MaintenanceStoreModule {}
