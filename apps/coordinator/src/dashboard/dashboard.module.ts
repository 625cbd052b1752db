import { Module } from '@nestjs/common';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { FleetStatusController } from './fleet-status.controller';
import { FleetStatusReader } from './fleet-status.reader';

/**
 * What the dashboard reads that no other route answers: `GET /v1/status`, every monitor's state in
 * one request. Its static files are served ahead of Nest's router (`mount-dashboard.ts`).
 */
@Module({
  imports: [MonitorStoreModule],
  controllers: [FleetStatusController],
  providers: [FleetStatusReader],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class DashboardModule {}
