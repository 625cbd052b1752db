import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { CoordinatorWorkers } from '../queues/coordinator-workers.service';
import { ROUND_JOB, ROUNDS_QUEUE } from '../queues/coordinator-queues';
import { SHARDS, ShardQueues } from '../queues/shard-queues.service';
import { shardPrefix } from '../redis/coordinator-keys';
import { RoundStarter, type RoundStart } from './round-starter.service';
import { scheduledAtOf } from './scheduled-at';

/** Consumes every shard's `rounds` queue: each job is one monitor's scheduled moment. */
@Injectable()
export class RoundsProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(RoundStarter) private readonly starter: RoundStarter,
    @Inject(CoordinatorWorkers) private readonly workers: CoordinatorWorkers,
    @Inject(ShardQueues) private readonly queues: ShardQueues,
  ) {}

  onModuleInit(): void {
    this.workers.handle(ROUND_JOB, (_payload, job) => this.process(job));
  }

  onApplicationBootstrap(): void {
    for (const shard of SHARDS) {
      // 50 rounds at once in all, spread over the shards (at least 4 each).
      const concurrency = Math.max(4, Math.ceil(50 / SHARDS.length));
      this.workers.open(`${ROUNDS_QUEUE}:${shard}`, { queue: ROUNDS_QUEUE, prefix: shardPrefix(shard), concurrency, counts: this.queues.rounds[shard]! });
    }
  }

  async process(job: Job): Promise<RoundStart> {
    const scheduledAt = scheduledAtOf(job);
    const monitorId = job.repeatJobKey;
    if (scheduledAt === null || monitorId === undefined) {
      throw new UnrecoverableError(`round job ${job.id} was not produced by a monitor's scheduler`);
    }
    return this.starter.start(monitorId, scheduledAt, job.opts.repeat?.every);
  }
}
