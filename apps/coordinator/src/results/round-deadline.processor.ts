import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { CoordinatorWorkers } from '../queues/coordinator-workers.service';
import { FINALIZE_JOB, ROUND_DEADLINES_QUEUE } from '../queues/coordinator-queues';
import { SHARDS, ShardQueues } from '../queues/shard-queues.service';
import { shardPrefix } from '../redis/coordinator-keys';
import { RoundFinalizer } from './round-finalizer.service';

/** Finalizes rounds whose deadline came before all their regions answered. */
@Injectable()
export class RoundDeadlineProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(RoundFinalizer) private readonly finalizer: RoundFinalizer,
    @Inject(CoordinatorWorkers) private readonly workers: CoordinatorWorkers,
    @Inject(ShardQueues) private readonly queues: ShardQueues,
  ) {}

  onModuleInit(): void {
    this.workers.handle(FINALIZE_JOB, ({ monitorId, roundId }) => this.finalize(monitorId, roundId));
  }

  onApplicationBootstrap(): void {
    for (const shard of SHARDS) {
      this.workers.open(`${ROUND_DEADLINES_QUEUE}:${shard}`, {
        queue: ROUND_DEADLINES_QUEUE,
        prefix: shardPrefix(shard),
        concurrency: Math.max(2, Math.ceil(20 / SHARDS.length)),
        counts: this.queues.deadlines[shard]!,
      });
    }
  }

  async finalize(monitorId: string, roundId: string): Promise<{ finalized: boolean }> {
    const summary = await this.finalizer.finalize(roundId, monitorId, 'deadline');
    return { finalized: summary !== null };
  }
}
