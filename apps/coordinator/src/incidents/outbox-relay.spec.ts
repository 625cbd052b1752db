import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventSink, OutboundEvent } from '../events/event-sink';
import { createRootLogger } from '../logging/create-root-logger';
import { eventually } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { coordinatorKeys, OUTBOX_GROUP } from '../redis/coordinator-keys';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.service';
import { sampleEventData } from '../testing/sample-event-data';

/** An event sink that records what it accepted, and can be told to fail some publishes first. */
class RecordingSink implements EventSink {
  readonly accepted: OutboundEvent[] = [];
  attempts = 0;
  private failuresLeft = new Map<string, number>();

  failFirst(eventId: string, times: number): void {
    this.failuresLeft.set(eventId, times);
  }

  async publish(event: OutboundEvent): Promise<void> {
    this.attempts++;
    const left = this.failuresLeft.get(event.id) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(event.id, left - 1);
      throw new Error('sink unavailable');
    }
    this.accepted.push(event);
  }
}

const FAST: Partial<OutboxRelayOptions> = { blockMs: 200, claimEveryMs: 100, claimIdleMs: 400 };
const logger = createRootLogger({ logLevel: 'silent' });

function event(n: number): OutboundEvent {
  return { id: `evt_test_${n}`, type: 'incident.opened', timestamp: new Date(0).toISOString(), data: sampleEventData(`inc_${n}`) };
}

/**
 * The outbox relay against a private Redis (the stream and group names are the production ones):
 * delivery and acknowledgement, retries of failed publishes, takeover of a dead consumer's entries,
 * a lost group, and two relays sharing the stream.
 */
describe('outbox relay', () => {
  let redisServer: PrivateRedis;
  let redis: Redis;
  const relays: OutboxRelay[] = [];

  function relay(sink: EventSink | null, options: Partial<OutboxRelayOptions> = FAST): OutboxRelay {
    const created = new OutboxRelay(redis, sink, logger, options);
    relays.push(created);
    created.start();
    return created;
  }

  async function append(...events: OutboundEvent[]): Promise<void> {
    for (const e of events) await redis.xadd(coordinatorKeys.outbox(0), '*', 'id', e.id, 'type', e.type, 'event', JSON.stringify(e));
  }

  async function pending(): Promise<number> {
    const summary = (await redis.xpending(coordinatorKeys.outbox(0), OUTBOX_GROUP)) as [number, ...unknown[]];
    return Number(summary[0]);
  }

  beforeAll(async () => {
    redisServer = new PrivateRedis(await freePort());
    await redisServer.start();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  });

  beforeEach(async () => {
    await redis.flushall();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    redis.disconnect();
    await redisServer.destroy();
  });

  it('publishes what was committed before it started and after, then acknowledges and deletes it', async () => {
    const sink = new RecordingSink();
    await append(event(1), event(2));
    relay(sink);
    await append(event(3));
    await eventually(async () => (sink.accepted.length === 3 ? true : undefined), 5_000, 'three events');
    expect(sink.accepted.map((e) => e.id)).toEqual(['evt_test_1', 'evt_test_2', 'evt_test_3']);
    expect(sink.accepted[0]).toEqual(event(1));
    await eventually(async () => ((await redis.xlen(coordinatorKeys.outbox(0))) === 0 ? true : undefined), 2_000, 'an empty outbox');
    expect(await pending()).toBe(0);
  });

  it('leaves a failed publish pending and publishes it again, once it succeeds', async () => {
    const sink = new RecordingSink();
    sink.failFirst('evt_test_1', 2);
    relay(sink);
    await append(event(1), event(2));
    await eventually(async () => (sink.accepted.length === 2 ? true : undefined), 8_000, 'both events');
    expect(sink.accepted.map((e) => e.id).sort()).toEqual(['evt_test_1', 'evt_test_2']);
    expect(sink.attempts).toBe(4);
    await eventually(async () => ((await pending()) === 0 ? true : undefined), 2_000, 'nothing pending');
  });

  it("takes over the entries a dead relay had read and never acknowledged", async () => {
    await append(event(1));
    await redis.xgroup('CREATE', coordinatorKeys.outbox(0), OUTBOX_GROUP, '0', 'MKSTREAM');
    // A relay that read the entry and died before publishing it.
    await redis.xreadgroup('GROUP', OUTBOX_GROUP, 'dead-coordinator', 'COUNT', 10, 'STREAMS', coordinatorKeys.outbox(0), '>');
    expect(await pending()).toBe(1);
    const sink = new RecordingSink();
    relay(sink);
    await eventually(async () => (sink.accepted.length === 1 ? true : undefined), 5_000, 'the orphaned event');
    expect(sink.accepted[0]!.id).toBe('evt_test_1');
    await eventually(async () => ((await pending()) === 0 ? true : undefined), 2_000, 'nothing pending');
  });

  it('creates its group again when Redis lost it, and goes on', async () => {
    const sink = new RecordingSink();
    relay(sink);
    await append(event(1));
    await eventually(async () => (sink.accepted.length === 1 ? true : undefined), 5_000, 'the first event');
    // What a restart without persistence (or a deleted stream) leaves: no stream, no group.
    await redis.del(coordinatorKeys.outbox(0));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await append(event(2));
    await eventually(async () => (sink.accepted.length === 2 ? true : undefined), 5_000, 'the event after the loss');
    expect(sink.accepted.map((e) => e.id)).toEqual(['evt_test_1', 'evt_test_2']);
  });

  it('drops an entry that is not an event without holding up the others', async () => {
    const sink = new RecordingSink();
    await redis.xadd(coordinatorKeys.outbox(0), '*', 'event', '{not json');
    await append(event(1));
    relay(sink);
    await eventually(async () => (sink.accepted.length === 1 ? true : undefined), 5_000, 'the good event');
    await eventually(async () => ((await redis.xlen(coordinatorKeys.outbox(0))) === 0 ? true : undefined), 2_000, 'an empty outbox');
  });

  it('shares the stream between relays: each event is published once in all', async () => {
    const [a, b] = [new RecordingSink(), new RecordingSink()];
    relay(a);
    relay(b);
    const events = Array.from({ length: 60 }, (_, n) => event(n));
    await append(...events);
    await eventually(async () => (a.accepted.length + b.accepted.length === 60 ? true : undefined), 5_000, 'sixty events');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const ids = [...a.accepted, ...b.accepted].map((e) => e.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it('without a sink, leaves the events in the outbox', async () => {
    relay(null);
    await append(event(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await redis.xlen(coordinatorKeys.outbox(0))).toBe(1);
  });
});
