import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { COORDINATOR_PREFIX } from '@crosscheck/contract';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { CoordinatorWorkers } from '../queues/coordinator-workers.service';
import { ROUND_JOB, ROUNDS_QUEUE, type RoundJobData } from '../queues/coordinator-queues';
import { RoundStarter, type RoundStart } from './round-starter.service';
import { scheduledAtOf } from './scheduled-at';

/** Consumes the `rounds` queue: each job is one monitor's scheduled moment. */
@Injectable()
export class RoundsProcessor implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(RoundStarter) private readonly starter: RoundStarter,
    @Inject(CoordinatorWorkers) private readonly workers: CoordinatorWorkers,
    @InjectQueue(ROUNDS_QUEUE) private readonly queue: Queue<RoundJobData>,
  ) {}

  onModuleInit(): void {
    this.workers.handle(ROUND_JOB, (_payload, job) => this.process(job));
  }

  onApplicationBootstrap(): void {
    this.workers.open(ROUNDS_QUEUE, { queue: ROUNDS_QUEUE, prefix: COORDINATOR_PREFIX, concurrency: 50, counts: this.queue });
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
