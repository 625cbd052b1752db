import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { coordinatorKeys } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';

/** How long an order set is kept after its last delivery was queued (seconds): past any retry schedule. */
const ORDER_TTL_SECONDS = 30 * 24 * 3_600;
/** Stale heads (finished or vanished deliveries) cleared at most per admission. */
const MAX_STALE_HEADS = 20;

/** What a delivery's turn is: go now, or wait for `deliveryId` (an earlier one of the same subject). */
export type OrderGate = { go: true } | { go: false; behind: string };

/**
 * Keeps each channel's deliveries of one incident in order. The sink records each delivery of an
 * incident's event (scored by the event's time) before queueing it; a delivery goes only when it
 * is the earliest unfinished one of its incident for that channel, and leaves the set when it is
 * delivered or dead. So a receiver that was down gets the incident's events in the order they
 * happened once it is back, however the retries and the circuit's delays interleave. A head whose
 * job is finished or gone (a crash between the two writes, a job removed) is cleared on sight.
 */
@Injectable()
export class DeliveryOrder {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** Records deliveries of one subject's event, before they are queued. */
  async enqueue(entries: ReadonlyArray<{ channelId: string; subject: string; deliveryId: string; at: number }>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { channelId, subject, deliveryId, at } of entries) {
      const key = coordinatorKeys.webhookOrder(channelId, subject);
      pipeline.zadd(key, 'NX', at, deliveryId);
      pipeline.expire(key, ORDER_TTL_SECONDS);
    }
    await pipeline.exec();
  }

  /** Whether `deliveryId` may be attempted now, clearing heads that are finished in `queue`. */
  async admit(channelId: string, subject: string, deliveryId: string, queue: Pick<Queue, 'getJobState'>): Promise<OrderGate> {
    const key = coordinatorKeys.webhookOrder(channelId, subject);
    for (let cleared = 0; cleared <= MAX_STALE_HEADS; cleared++) {
      const [head] = await this.redis.zrange(key, 0, 0);
      if (head === undefined || head === deliveryId) return { go: true };
      const state = await queue.getJobState(head);
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') {
        // The head is earlier only if it scores lower; a head that is later (this one was never recorded) does not block.
        const [mine, theirs] = await Promise.all([this.redis.zscore(key, deliveryId), this.redis.zscore(key, head)]);
        if (mine === null || (theirs !== null && Number(theirs) > Number(mine))) return { go: true };
        return { go: false, behind: head };
      }
      await this.redis.zrem(key, head);
    }
    return { go: true };
  }

  /** The delivery finished (delivered, dead, or not needed): the next of its subject may go. */
  async done(channelId: string, subject: string, deliveryId: string): Promise<void> {
    await this.redis.zrem(coordinatorKeys.webhookOrder(channelId, subject), deliveryId);
  }
}

/** What orders an event's deliveries: its incident, else its monitor (region events without an incident); `null` for the rest. */
export function orderSubjectOf(body: string): { subject: string; at: number } | null {
  try {
    const parsed = JSON.parse(body) as { type?: string; timestamp?: string; data?: { incident?: { id?: unknown } | null; monitor?: { id?: unknown } } };
    const at = Date.parse(parsed.timestamp ?? '');
    if (!Number.isFinite(at)) return null;
    const incident = parsed.data?.incident?.id;
    if (typeof incident === 'string') return { subject: incident, at };
    const monitor = parsed.data?.monitor?.id;
    if (typeof monitor === 'string' && parsed.type?.startsWith('region.')) return { subject: `regions-${monitor}`, at };
    return null;
  } catch {
    return null;
  }
}
