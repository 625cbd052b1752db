import { Inject, Injectable } from '@nestjs/common';
import { jobOptions } from '@crosscheck/jobs';
import { Clock } from '../core/clock';
import { FINALIZE_JOB, finalizeJobIdFor } from '../queues/coordinator-queues';
import { ShardQueues } from '../queues/shard-queues.service';

/** Puts a round's deadline on its shard's `round-deadlines` queue: a delayed job that finalizes it then. */
@Injectable()
export class RoundDeadlines {
  constructor(
    @Inject(ShardQueues) private readonly queues: ShardQueues,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Idempotent: the job id derives from the round, so a second call adds nothing. */
  async schedule(monitorId: string, roundId: string, deadline: number): Promise<void> {
    await this.queues.deadlinesOf(monitorId).add(
      FINALIZE_JOB.name,
      { monitorId, roundId },
      jobOptions(FINALIZE_JOB, { jobId: finalizeJobIdFor(roundId), delay: Math.max(0, deadline - this.clock.now()) }),
    );
  }
}
