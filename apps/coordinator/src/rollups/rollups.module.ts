import { Module } from '@nestjs/common';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { RollupsRepository } from './rollups.repository';
import { UptimeController } from './uptime.controller';
import { UptimeService } from './uptime.service';

/**
 * Uptime and latency history: the rollups the round's commit writes (`rollup-merge.lua.ts`, run by
 * the incidents' commit script), read by the uptime and series routes and by {@link UptimeService}
 * for the rest of the coordinator (status pages).
 */
@Module({
  imports: [MonitorStoreModule],
  controllers: [UptimeController],
  providers: [RollupsRepository, UptimeService],
  exports: [UptimeService, RollupsRepository],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class RollupsModule {}
