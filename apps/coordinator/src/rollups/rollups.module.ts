import { Module } from '@nestjs/common';
import { ResultsModule } from '../results/results.module';
import { UptimeService } from './uptime.service';

/** INTERIM (status-pages branch): provides the stand-in {@link UptimeService}; the rollups' module replaces it. */
@Module({ imports: [ResultsModule], providers: [UptimeService], exports: [UptimeService] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class RollupsModule {}
