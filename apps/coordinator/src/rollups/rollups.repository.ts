import { Inject, Injectable } from '@nestjs/common';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_ROLLUP_SETTINGS, type CoordinatorConfig, type RollupSettings } from '../config/coordinator-config';
import { coordinatorKeys } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { TimedBucket } from './rollup-bucket';
import { decodeChunk, decodeOpenBucket } from './rollup-encoding';
import { chunkNumber, retentionOf, TIER_ORDER, type RollupTier } from './rollup-tiers';

/**
 * A monitor's rollups in Redis, as the round's commit writes them (`rollup-merge.lua.ts`): per tier
 * the open bucket (a field of `rollupOpen`) and the closed ones in chunk strings (`rollupChunk`).
 * Every key is in the monitor's state shard.
 */
@Injectable()
export class RollupsRepository {
  private readonly settings: RollupSettings;

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(COORDINATOR_CONFIG) config: Pick<CoordinatorConfig, 'rollups'>,
  ) {
    this.settings = config.rollups ?? DEFAULT_ROLLUP_SETTINGS;
  }

  /**
   * The buckets of `tier` starting in `[from, to)`, oldest first: one read of the open bucket and
   * of every chunk the range touches, in one transaction (a bucket closing meanwhile is seen once).
   */
  async buckets(monitorId: string, tier: RollupTier, from: number, to: number): Promise<TimedBucket[]> {
    if (to <= from) return [];
    const chunks: number[] = [];
    for (let chunk = chunkNumber(tier, from); chunk <= chunkNumber(tier, to - 1); chunk++) chunks.push(chunk);
    const replies = await this.redis
      .multi()
      .hget(coordinatorKeys.rollupOpen(monitorId), tier.field)
      .mget(chunks.map((chunk) => coordinatorKeys.rollupChunk(monitorId, tier.field, chunk)))
      .exec();
    if (!replies) throw new Error(`reading the rollups of monitor ${monitorId} was aborted`);
    for (const [error] of replies) if (error) throw error;
    const open = replies[0]?.[1] as string | null;
    const stored = (replies[1]?.[1] ?? []) as (string | null)[];
    const buckets: TimedBucket[] = [];
    stored.forEach((value, i) => {
      if (typeof value === 'string') buckets.push(...decodeChunk(value, tier, chunks[i]!));
    });
    if (typeof open === 'string') buckets.push(decodeOpenBucket(open));
    return buckets.filter((bucket) => bucket.start >= from && bucket.start < to).sort((a, b) => a.start - b.start);
  }

  /**
   * Deletes a monitor's rollups: its open hash and every chunk its tiers' retentions can still
   * hold around `now` (named, not scanned: about 160 keys at the default retentions). Chunks kept
   * by a longer retention configured before expire on their own.
   */
  async purge(monitorId: string, now: number): Promise<number> {
    const keys = [coordinatorKeys.rollupOpen(monitorId)];
    for (const tier of TIER_ORDER) {
      // A chunk expires at its end + retention; a round's time may run a little ahead of this clock.
      const first = chunkNumber(tier, now - retentionOf(tier, this.settings) - tier.chunkMs);
      const last = chunkNumber(tier, now + tier.chunkMs);
      for (let chunk = first; chunk <= last; chunk++) keys.push(coordinatorKeys.rollupChunk(monitorId, tier.field, chunk));
    }
    // One monitor's keys share a slot: one command.
    return this.redis.unlink(...keys);
  }
}
