import { Inject, Injectable } from '@nestjs/common';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_ROLLUP_SETTINGS, type CoordinatorConfig, type RollupSettings } from '../config/coordinator-config';
import { coordinatorKeys } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { addBucket, type TimedBucket } from './rollup-bucket';
import { decodeChunk, decodeOpenChunk, decodeOpenMinute } from './rollup-encoding';
import { bucketStart, chunkNumber, retentionOf, ROLLUP_TIERS, TIER_ORDER, type RollupTier } from './rollup-tiers';

/**
 * A monitor's rollups in Redis, as the round's commit writes them (`rollup-merge.lua.ts`): the open
 * hash (`rollupOpen`: what is still being filled) and the chunks of closed buckets (`rollupChunk`).
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
   * The buckets of `tier` starting in `[from, to)`, oldest first: its chunks the range touches, and
   * what the open hash still holds (the open minute, the open hour's minutes and, for hours and
   * days, the open day's hours: see `rollup-merge.lua.ts`), each added into the bucket of `tier` it
   * falls in. One transaction, so a bucket closing meanwhile is seen once.
   */
  async buckets(monitorId: string, tier: RollupTier, from: number, to: number): Promise<TimedBucket[]> {
    if (to <= from) return [];
    const chunks: number[] = [];
    for (let chunk = chunkNumber(tier, from); chunk <= chunkNumber(tier, to - 1); chunk++) chunks.push(chunk);
    const { minute, hour, day } = ROLLUP_TIERS;
    const replies = await this.redis
      .multi()
      .hmget(coordinatorKeys.rollupOpen(monitorId), minute.field, hour.field, day.field)
      .mget(TIER_ORDER.map((t) => coordinatorKeys.rollupLog(monitorId, t.field)))
      .mget(chunks.map((chunk) => coordinatorKeys.rollupChunk(monitorId, tier.field, chunk)))
      .exec();
    if (!replies) throw new Error(`reading the rollups of monitor ${monitorId} was aborted`);
    for (const [error] of replies) if (error) throw error;
    const [openMinute, openHour, openDay] = (replies[0]?.[1] ?? []) as (string | null)[];
    const [minuteLog, hourLog, dayLog] = (replies[1]?.[1] ?? []) as (string | null)[];
    const stored = (replies[2]?.[1] ?? []) as (string | null)[];
    const byStart = new Map<number, TimedBucket>();
    const add = ({ start, bucket }: TimedBucket): void => {
      const at = bucketStart(tier, start);
      if (at < from || at >= to) return;
      const timed = byStart.get(at);
      if (timed) addBucket(timed.bucket, bucket);
      else byStart.set(at, { start: at, bucket });
    };
    stored.forEach((value, i) => {
      if (typeof value === 'string') for (const timed of decodeChunk(value, tier, chunks[i]!)) add(timed);
    });
    // The open day's hours are in the minute chunks already: only coarser tiers take them.
    if (typeof openDay === 'string' && typeof dayLog === 'string' && tier !== minute) for (const timed of decodeOpenChunk(openDay, dayLog, hour)) add(timed);
    if (typeof openHour === 'string' && typeof hourLog === 'string') for (const timed of decodeOpenChunk(openHour, hourLog, minute)) add(timed);
    if (typeof openMinute === 'string' && typeof minuteLog === 'string') add(decodeOpenMinute(openMinute, minuteLog));
    return [...byStart.values()].sort((a, b) => a.start - b.start);
  }

  /**
   * Deletes a monitor's rollups: its open hash and every chunk its tiers' retentions can still
   * hold around `now` (named, not scanned: about 160 keys at the default retentions). Chunks kept
   * by a longer retention configured before expire on their own.
   */
  async purge(monitorId: string, now: number): Promise<number> {
    const keys = [coordinatorKeys.rollupOpen(monitorId), ...TIER_ORDER.map((t) => coordinatorKeys.rollupLog(monitorId, t.field))];
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
