import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { IncidentStoreModule } from '../incidents/incident-store.module';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { RegionsModule } from '../regions/regions.module';
import { MonitorResultsController } from './monitor-results.controller';
import { MonitorResultsService } from './monitor-results.service';
import { ResultIntakeProcessor } from './result-intake.processor';
import { ResultIntake } from './result-intake.service';
import { RoundDeadlineProcessor } from './round-deadline.processor';
import { RoundDeadlines } from './round-deadlines.service';
import { RoundFinalizer } from './round-finalizer.service';
import { RoundsRepository } from './rounds.repository';

/** Rounds and their results: intake from the regions, finalization, status and history. */
@Module({
  imports: [MonitorStoreModule, AgentsModule, IncidentStoreModule, RegionsModule],
  controllers: [MonitorResultsController],
  providers: [
    RoundsRepository,
    RoundFinalizer,
    RoundDeadlines,
    RoundDeadlineProcessor,
    ResultIntakeProcessor,
    ResultIntake,
    MonitorResultsService,
  ],
  exports: [RoundsRepository, RoundDeadlines],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class ResultsModule {}
