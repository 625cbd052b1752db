import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { COORDINATOR_PREFIX } from '@crosscheck/contract';
import type { Queue } from 'bullmq';
import { CoordinatorWorkers } from '../queues/coordinator-workers.service';
import { FINALIZE_JOB, ROUND_DEADLINES_QUEUE, type FinalizeJobData } from '../queues/coordinator-queues';
import { RoundFinalizer } from './round-finalizer.service';

/** Finalizes rounds whose deadline came before all their regions answered. */
@Injectable()
export class RoundDeadlineProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(RoundFinalizer) private readonly finalizer: RoundFinalizer,
    @Inject(CoordinatorWorkers) private readonly workers: CoordinatorWorkers,
    @InjectQueue(ROUND_DEADLINES_QUEUE) private readonly queue: Queue<FinalizeJobData>,
  ) {}

  onModuleInit(): void {
    this.workers.handle(FINALIZE_JOB, ({ monitorId, roundId }) => this.finalize(monitorId, roundId));
  }

  onApplicationBootstrap(): void {
    this.workers.open(ROUND_DEADLINES_QUEUE, { queue: ROUND_DEADLINES_QUEUE, prefix: COORDINATOR_PREFIX, concurrency: 20, counts: this.queue });
  }

  async finalize(monitorId: string, roundId: string): Promise<{ finalized: boolean }> {
    const summary = await this.finalizer.finalize(roundId, monitorId, 'deadline');
    return { finalized: summary !== null };
  }
}
