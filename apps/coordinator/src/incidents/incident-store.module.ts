import { Module } from '@nestjs/common';
import { MaintenanceStoreModule } from '../maintenance/maintenance-store.module';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { IncidentTransitions } from './incident-transitions.service';
import { IncidentsRepository } from './incidents.repository';

/**
 * Incident state and its transitions, for the features that apply rounds (results) or read
 * incidents (status, the incidents API). Depends on monitors and the maintenance calendar only, so results can import it.
 */
@Module({
  imports: [MonitorStoreModule, MaintenanceStoreModule],
  providers: [IncidentsRepository, IncidentTransitions],
  exports: [IncidentsRepository, IncidentTransitions],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class IncidentStoreModule {}
