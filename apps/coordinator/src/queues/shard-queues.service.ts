import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { shardOf, shardPrefix, STATE_SHARDS } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_QUEUE_CONNECTION } from '../redis/redis.tokens';
import { queueCounts, type QueueCounts } from '../regions/queue-counts';
import { ROUND_DEADLINES_QUEUE, ROUNDS_QUEUE, type FinalizeJobData, type RoundJobData } from './coordinator-queues';

/** The state shards, 0 to `STATE_SHARDS - 1`. */
export const SHARDS: readonly number[] = Array.from({ length: STATE_SHARDS }, (_, shard) => shard);

/**
 * The producers of the queues that come once per state shard: `rounds` (a job scheduler per monitor)
 * and `round-deadlines` (a delayed finalize job per round), each under its shard's prefix
 * (`cc:{<shard tag>}`), so that on a Redis Cluster the rounds of different monitors are queued, taken
 * and finalized on different nodes instead of all on one. A monitor's jobs go to its shard's queues.
 */
@Injectable()
export class ShardQueues implements OnApplicationShutdown {
  readonly rounds: readonly Queue<RoundJobData>[];
  readonly deadlines: readonly Queue<FinalizeJobData>[];

  constructor(@Inject(REDIS_QUEUE_CONNECTION) connection: RedisClient, @Inject(ROOT_LOGGER) logger: Logger) {
    const open = <T>(name: string, shard: number): Queue<T> => {
      const queue = new Queue<T>(name, { connection, prefix: shardPrefix(shard) });
      // Without a listener, BullMQ prints connection errors to stderr; the Redis watcher logs outages.
      queue.on('error', (error: Error) => logger.debug({ err: error, queue: name, shard }, 'queue error'));
      return queue;
    };
    this.rounds = SHARDS.map((shard) => open<RoundJobData>(ROUNDS_QUEUE, shard));
    this.deadlines = SHARDS.map((shard) => open<FinalizeJobData>(ROUND_DEADLINES_QUEUE, shard));
  }

  /** The `rounds` queue of the monitor's shard. */
  roundsOf(monitorId: string): Queue<RoundJobData> {
    return this.rounds[shardOf(monitorId)]!;
  }

  /** The `round-deadlines` queue of the monitor's shard. */
  deadlinesOf(monitorId: string): Queue<FinalizeJobData> {
    return this.deadlines[shardOf(monitorId)]!;
  }

  /** The counts of every shard's queue of one kind, summed. */
  async totals(kind: 'rounds' | 'deadlines'): Promise<QueueCounts> {
    const all = await Promise.all(this[kind].map((queue) => queueCounts(queue)));
    return all.reduce((sum, counts) => ({
      waiting: sum.waiting + counts.waiting,
      active: sum.active + counts.active,
      delayed: sum.delayed + counts.delayed,
      failed: sum.failed + counts.failed,
    }));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.rounds, ...this.deadlines].map((queue) => queue.close()));
  }
}
