import { Module } from '@nestjs/common';
import { MonitorsRepository } from './monitors.repository';

/** Monitor storage alone, for the features that read monitors (scheduling, results, agents). */
@Module({ providers: [MonitorsRepository], exports: [MonitorsRepository] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class MonitorStoreModule {}
