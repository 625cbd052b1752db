import { Global, Module } from '@nestjs/common';
import { CoordinatorWorkers } from './coordinator-workers.service';
import { WorkerWatchdog } from './worker-watchdog.service';

/** How every feature builds its BullMQ workers (the job registry) and keeps them consuming (the watchdog). */
@Global()
@Module({ providers: [WorkerWatchdog, CoordinatorWorkers], exports: [WorkerWatchdog, CoordinatorWorkers] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class QueuesModule {}
