import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys, shardOf } from '../redis/coordinator-keys';
import { REDIS_COMMANDS } from '../redis/redis.tokens';

/** A check job dispatched to a region: where it is, and its (derived) id. */
export interface DispatchedCheck {
  region: string;
  jobId: string;
}

/** A monitor's index keeps entries this long past their deadline; the sweep has dealt with them by then. */
const MONITOR_INDEX_RETENTION_MS = 60_000;

/**
 * Where the check jobs of the regions' queues are, by deadline: every dispatched check in its
 * monitor's state shard, `cc:{<shard>}:checks:deadlines` (scored by its deadline), and a monitor's
 * own in `cc:{<shard>}:monitor:<id>:checks`. The coordinator finds a job again by the id it derived when it
 * dispatched it, never by listing a region's queue.
 */
@Injectable()
export class CheckDeadlines {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** Records the checks of one round of `monitorId`, due by `deadline` (epoch ms); `now` trims the monitor's index. */
  async track(monitorId: string, deadline: number, checks: readonly DispatchedCheck[], now: number): Promise<void> {
    if (checks.length === 0) return;
    const entries = checks.flatMap((check) => [deadline, memberOf(check)]);
    const monitorIndex = coordinatorKeys.monitorChecks(monitorId);
    await this.redis
      .multi()
      .zadd(coordinatorKeys.checkDeadlines(shardOf(monitorId)), ...entries)
      .zadd(monitorIndex, ...entries)
      .zremrangebyscore(monitorIndex, '-inf', now - MONITOR_INDEX_RETENTION_MS)
      .pexpireat(monitorIndex, deadline + MONITOR_INDEX_RETENTION_MS)
      .exec();
  }

  /** Checks of state shard `shard` whose deadline is at or before `now`, oldest deadline first, at most `limit`. */
  async expired(shard: number, now: number, limit: number): Promise<DispatchedCheck[]> {
    const key = coordinatorKeys.checkDeadlines(shard);
    const members = await this.redis.zrangebyscore(key, '-inf', now, 'LIMIT', 0, limit);
    const malformed = members.filter((member) => checkOf(member) === null);
    // Written by no version of this code: it names no job, and must not hold up the rest.
    if (malformed.length > 0) await this.redis.zrem(key, ...malformed);
    return members.map(checkOf).filter((check): check is DispatchedCheck => check !== null);
  }

  /** Forgets checks of state shard `shard` dealt with (withdrawn, or in an agent's hands). */
  async forget(shard: number, checks: readonly DispatchedCheck[]): Promise<void> {
    if (checks.length > 0) await this.redis.zrem(coordinatorKeys.checkDeadlines(shard), ...checks.map(memberOf));
  }

  /** The checks of `monitorId` whose deadline has not long passed. */
  async ofMonitor(monitorId: string): Promise<DispatchedCheck[]> {
    const members = await this.redis.zrange(coordinatorKeys.monitorChecks(monitorId), 0, -1);
    return members.map(checkOf).filter((check): check is DispatchedCheck => check !== null);
  }

  /** Forgets every check of a deleted monitor. */
  async forgetMonitor(monitorId: string, checks: readonly DispatchedCheck[]): Promise<void> {
    const transaction = this.redis.multi();
    if (checks.length > 0) transaction.zrem(coordinatorKeys.checkDeadlines(shardOf(monitorId)), ...checks.map(memberOf));
    await transaction.del(coordinatorKeys.monitorChecks(monitorId)).exec();
  }

  /** Takes the sweep for `ttlMs` unless another coordinator holds it; `true` when taken. */
  async takeSweep(owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(coordinatorKeys.checkSweepLock(), owner, 'PX', ttlMs, 'NX')) === 'OK';
  }
}

/** A sorted-set member: `[region, jobId]` as JSON, the same for the same check every time. */
function memberOf(check: DispatchedCheck): string {
  return JSON.stringify([check.region, check.jobId]);
}

function checkOf(member: string): DispatchedCheck | null {
  try {
    const value: unknown = JSON.parse(member);
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { region: value[0], jobId: value[1] };
    }
  } catch {
    // Not JSON: not a member this code wrote.
  }
  return null;
}
