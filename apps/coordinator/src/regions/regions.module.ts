import { Module } from '@nestjs/common';
import { RegionQueues } from './region-queues.service';

/** The regions' BullMQ queues, as the coordinator produces to and watches them. */
@Module({ providers: [RegionQueues], exports: [RegionQueues] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class RegionsModule {}
