import { Global, Module } from '@nestjs/common';
import { CoordinatorWorkers } from './coordinator-workers.service';
import { ShardQueues } from './shard-queues.service';
import { WorkerWatchdog } from './worker-watchdog.service';

/**
 * How every feature builds its BullMQ workers (the job registry) and keeps them consuming (the
 * watchdog), and the producers of the per-shard queues.
 */
@Global()
@Module({ providers: [WorkerWatchdog, CoordinatorWorkers, ShardQueues], exports: [WorkerWatchdog, CoordinatorWorkers, ShardQueues] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class QueuesModule {}
