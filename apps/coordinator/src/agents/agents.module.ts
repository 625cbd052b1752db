import { Module } from '@nestjs/common';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';

/** Agents and region coverage, read from the agents' own heartbeat keys. */
@Module({
  imports: [MonitorStoreModule],
  controllers: [AgentsController],
  providers: [AgentsRepository],
  exports: [AgentsRepository],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class AgentsModule {}
