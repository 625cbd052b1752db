import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { regionPrefix, RESULT_QUEUE } from '@crosscheck/contract';
import { CoordinatorWorkers } from '../queues/coordinator-workers.service';
import { RESULT_JOB } from '../queues/coordinator-queues';
import { RegionLifecycle } from '../regions/region-lifecycle.service';
import { RegionQueues } from '../regions/region-queues.service';
import { ResultIntakeProcessor } from './result-intake.processor';

const CONCURRENCY_PER_REGION = 16;

/**
 * One results consumer per open region, on the region's `results` queue (prefix `cc:r:{<region>}`):
 * opened when the region enters the registry (or at boot) and closed when it leaves, by the region
 * lifecycle. Each consumer is one BullMQ worker, hence one blocking Redis connection; a region gone
 * takes its connection with it.
 */
@Injectable()
export class ResultIntake implements OnModuleInit {
  constructor(
    @Inject(ResultIntakeProcessor) private readonly processor: ResultIntakeProcessor,
    @Inject(CoordinatorWorkers) private readonly workers: CoordinatorWorkers,
    @Inject(RegionLifecycle) private readonly lifecycle: RegionLifecycle,
    @Inject(RegionQueues) private readonly queues: RegionQueues,
  ) {}

  onModuleInit(): void {
    this.workers.handle(RESULT_JOB, (result, job, { partition }) => {
      if (partition === undefined) throw new Error(`result job ${job.id} taken by a worker opened for no region`);
      return this.processor.process(partition, result, job);
    });
    this.lifecycle.listen({
      opened: (region) =>
        this.workers.open(workerName(region), {
          queue: RESULT_QUEUE,
          prefix: regionPrefix(region),
          partition: region,
          concurrency: CONCURRENCY_PER_REGION,
          counts: this.queues.resultQueue(region),
          removeOnComplete: { age: 3_600, count: 1_000 },
          removeOnFail: { age: 7 * 24 * 3_600, count: 5_000 },
        }),
      closed: (region) => this.workers.close(workerName(region)),
    });
  }
}

function workerName(region: string): string {
  return `results:${region}`;
}
