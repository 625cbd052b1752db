import { Global, Module } from '@nestjs/common';
import { WorkerWatchdog } from './worker-watchdog.service';

/** What every feature's BullMQ workers share. */
@Global()
@Module({ providers: [WorkerWatchdog], exports: [WorkerWatchdog] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class QueuesModule {}
