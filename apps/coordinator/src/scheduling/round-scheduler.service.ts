import { Inject, Injectable } from '@nestjs/common';
import { jobOptions } from '@crosscheck/jobs';
import type { Monitor } from '../monitors/monitor';
import { ROUND_JOB } from '../queues/coordinator-queues';
import { ShardQueues } from '../queues/shard-queues.service';

/**
 * One BullMQ job scheduler per monitor on its state shard's `rounds` queue, id = monitor id, every
 * `intervalSeconds`. Upserting is idempotent: with an unchanged interval BullMQ keeps the
 * scheduler's next slot, so any number of coordinators may upsert the same monitor at any time
 * without doubling or shifting rounds.
 */
@Injectable()
export class RoundScheduler {
  constructor(@Inject(ShardQueues) private readonly queues: ShardQueues) {}

  /** Creates or updates the monitor's scheduler. */
  async schedule(monitor: Pick<Monitor, 'id' | 'intervalSeconds'>): Promise<void> {
    await this.queues.roundsOf(monitor.id).upsertJobScheduler(
      monitor.id,
      { every: monitor.intervalSeconds * 1_000 },
      { name: ROUND_JOB.name, data: { monitorId: monitor.id }, opts: jobOptions(ROUND_JOB) },
    );
  }

  /** Removes the monitor's scheduler and its pending job; `false` when there was none. */
  async unschedule(monitorId: string): Promise<boolean> {
    return this.queues.roundsOf(monitorId).removeJobScheduler(monitorId);
  }

  /** Ids of every scheduler on the shards' queues. */
  async scheduledMonitorIds(): Promise<string[]> {
    const perShard = await Promise.all(this.queues.rounds.map((queue) => queue.getJobSchedulers(0, -1, true)));
    return perShard.flat().map((scheduler) => scheduler.key);
  }
}
