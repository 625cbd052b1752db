import { Inject, Injectable, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { duplicateConnection, isCluster, type RedisClient } from '../redis/redis-connections';
import type { Logger } from 'pino';
import { withTimeout } from '../core/with-timeout';
import { EVENT_SINK, type EventSink, type SinkEvent } from '../events/event-sink';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { coordinatorKeys, OUTBOX_GROUP, STATE_SHARDS } from '../redis/coordinator-keys';

/** Timings of the outbox relay. */
export interface OutboxRelayOptions {
  /** How long one `XREADGROUP` waits for new entries (on one Redis). */
  blockMs: number;
  /**
   * On a Redis Cluster, where one read cannot wait on the shards' streams at once: how long the
   * relay pauses after a pass over every shard found nothing.
   */
  pollMs: number;
  /** How often pending entries are looked at for reclaiming. */
  claimEveryMs: number;
  /**
   * An entry pending this long is taken over (`XAUTOCLAIM`) and published again: its consumer died,
   * or its publish failed. Longer than any healthy publish, so a live relay is rarely doubled.
   */
  claimIdleMs: number;
  /** Entries read or claimed per call. */
  batch: number;
  /** A publish not settled within this long counts as failed (the entry stays pending). */
  publishTimeoutMs: number;
  /** A consumer of the group with nothing pending and idle this long (a coordinator gone) is removed. */
  forgetConsumersAfterMs: number;
}

export const DEFAULT_OUTBOX_RELAY_OPTIONS: OutboxRelayOptions = {
  blockMs: 2_000,
  pollMs: 250,
  claimEveryMs: 5_000,
  claimIdleMs: 30_000,
  batch: 50,
  publishTimeoutMs: 10_000,
  forgetConsumersAfterMs: 24 * 3_600 * 1_000,
};

/** Injection token of the relay's {@link OutboxRelayOptions} (optional; tests shorten them). */
export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

/** A pause after an unexpected error, so a persistent one does not spin. */
const ERROR_PAUSE_MS = 1_000;

type StreamEntry = [id: string, fields: string[] | null];

const SHARDS = Array.from({ length: STATE_SHARDS }, (_, shard) => shard);
const OUTBOX_KEYS = SHARDS.map((shard) => coordinatorKeys.outbox(shard));
const SHARD_OF_STREAM = new Map(OUTBOX_KEYS.map((key, shard) => [key, shard]));

/**
 * Moves committed events from the outbox streams (one per state shard, `cc:{<shard>}:outbox`) to the
 * {@link EventSink}: one consumer per coordinator in the group `relay` of each stream, on a dedicated
 * connection (its `XREADGROUP BLOCK` would stall everything else). On one Redis a single read waits
 * on every shard's stream; on a cluster the shards are read in turn, pausing `pollMs` when all are
 * empty. An entry is acknowledged and deleted only after the sink accepted
 * it; when the sink fails, the entry stays pending and is published again once it has been idle
 * `claimIdleMs`, by this relay or another (`XAUTOCLAIM`), which is also how the entries of a dead
 * coordinator get delivered. So the sink gets every event at least once, and must (and does, by job
 * id) make a second publish of the same event a no-op.
 *
 * Redis losing the group (a restart without persistence, the stream deleted) shows as `NOGROUP`:
 * the group is created again and the relay goes on.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly options: OutboxRelayOptions;
  private readonly consumer = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private connection: RedisClient | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private blocking = false;
  private readonly groupsReady = new Set<number>();

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Optional() @Inject(EVENT_SINK) private readonly sink: EventSink | null,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() @Inject(OUTBOX_RELAY_OPTIONS) options: Partial<OutboxRelayOptions> | null,
  ) {
    this.logger = logger.child({ component: 'outbox-relay' });
    this.options = { ...DEFAULT_OUTBOX_RELAY_OPTIONS, ...(options ?? {}) };
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Starts relaying, unless there is no sink (events then wait in the outbox for a coordinator that has one). */
  start(): void {
    if (this.loop) return;
    if (!this.sink) {
      this.logger.warn('no event sink is configured: incident events wait in the outbox');
      return;
    }
    this.stopping = false;
    this.connection = duplicateConnection(this.redis, {
      connectionName: 'crosscheck-coordinator-outbox',
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: this.options.blockMs + 10_000,
    });
    // The commands connection's watcher reports outages; this one only must not throw unhandled.
    this.connection.on('error', (error: Error) => this.logger.debug({ err: error }, 'outbox connection error'));
    this.loop = this.run(this.connection, this.sink);
    this.logger.info({ consumer: this.consumer }, 'relaying the outbox to the event sink');
  }

  /** Stops after the publish under way (if any); a blocked read is cut short. */
  async stop(): Promise<void> {
    this.stopping = true;
    const connection = this.connection;
    if (!connection || !this.loop) return;
    if (this.blocking) connection.disconnect();
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    connection.disconnect();
    this.loop = undefined;
    this.connection = undefined;
  }

  private async run(connection: RedisClient, sink: EventSink): Promise<void> {
    let nextClaimAt = 0;
    while (!this.stopping) {
      try {
        for (const shard of SHARDS) if (!this.groupsReady.has(shard)) await this.ensureGroup(connection, shard);
        if (Date.now() >= nextClaimAt) {
          nextClaimAt = Date.now() + this.options.claimEveryMs;
          for (const shard of SHARDS) await this.reclaim(connection, sink, shard);
        }
        if (this.stopping) break;
        const streams = await this.read(connection);
        for (const [key, entries] of streams) {
          const shard = SHARD_OF_STREAM.get(key);
          if (shard === undefined) continue;
          for (const entry of entries) await this.deliver(connection, sink, shard, entry);
        }
        if (streams.length === 0 && isCluster(connection) && !this.stopping) await this.pause(this.options.pollMs);
      } catch (error) {
        if (this.stopping) break;
        if (error instanceof Error && error.message.startsWith('NOGROUP')) {
          this.logger.warn('an outbox consumer group is gone (Redis restarted or the stream was deleted): creating it again');
          this.groupsReady.clear();
          continue;
        }
        if (isRedisUnavailable(error)) this.logger.debug({ err: error }, 'outbox relay waiting for Redis');
        else this.logger.error({ err: error }, 'outbox relay failed; going on');
        await new Promise((resolve) => setTimeout(resolve, ERROR_PAUSE_MS));
      }
    }
  }

  /**
   * New entries of every shard's stream: one read that waits up to `blockMs` on one Redis; on a
   * cluster, one read per shard that does not wait (a read's streams must share a slot).
   */
  private async read(connection: RedisClient): Promise<[string, StreamEntry[]][]> {
    const { batch, blockMs } = this.options;
    if (isCluster(connection)) {
      const replies = await Promise.all(
        OUTBOX_KEYS.map((key) => connection.xreadgroup('GROUP', OUTBOX_GROUP, this.consumer, 'COUNT', batch, 'STREAMS', key, '>')),
      );
      return replies.flatMap((reply) => (reply ?? []) as [string, StreamEntry[]][]);
    }
    this.blocking = true;
    try {
      const reply = await connection.xreadgroup(
        'GROUP', OUTBOX_GROUP, this.consumer, 'COUNT', batch, 'BLOCK', blockMs, 'STREAMS', ...OUTBOX_KEYS, ...OUTBOX_KEYS.map(() => '>'),
      );
      return (reply ?? []) as [string, StreamEntry[]][];
    } finally {
      this.blocking = false;
    }
  }

  /** Waits `ms`, or less when the relay stops. */
  private async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (!this.stopping && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, Math.min(50, until - Date.now())));
  }

  private async ensureGroup(connection: RedisClient, shard: number): Promise<void> {
    try {
      // From the start of the stream: events committed before any relay existed are delivered too.
      await connection.xgroup('CREATE', coordinatorKeys.outbox(shard), OUTBOX_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('BUSYGROUP')) throw error;
    }
    this.groupsReady.add(shard);
  }

  /** Publishes an entry; acknowledges and deletes it once the sink took it. */
  private async deliver(connection: RedisClient, sink: EventSink, shard: number, [id, fields]: StreamEntry): Promise<void> {
    const event = eventOf(fields);
    if (!event) {
      // Written by no version of this code: it can never be published, so it must not block the rest.
      this.logger.error({ entryId: id, shard }, 'malformed outbox entry dropped');
      await this.acknowledge(connection, shard, id);
      return;
    }
    try {
      await withTimeout(sink.publish(event), this.options.publishTimeoutMs, 'the event sink');
    } catch (error) {
      this.logger.warn(
        { err: error, eventId: event.id, type: event.type, retryInMs: this.options.claimIdleMs },
        'event sink failed; the event stays pending and is published again',
      );
      return;
    }
    await this.acknowledge(connection, shard, id);
  }

  private async acknowledge(connection: RedisClient, shard: number, id: string): Promise<void> {
    const key = coordinatorKeys.outbox(shard);
    await connection.multi().xack(key, OUTBOX_GROUP, id).xdel(key, id).exec();
  }

  /** Takes over entries pending too long (a dead relay's, or failed publishes) and publishes them again. */
  private async reclaim(connection: RedisClient, sink: EventSink, shard: number): Promise<void> {
    const key = coordinatorKeys.outbox(shard);
    let cursor = '0-0';
    for (let pass = 0; pass < 20 && !this.stopping; pass++) {
      const [next, entries] = (await connection.xautoclaim(
        key, OUTBOX_GROUP, this.consumer, this.options.claimIdleMs, cursor, 'COUNT', this.options.batch,
      )) as [string, StreamEntry[]];
      for (const entry of entries) await this.deliver(connection, sink, shard, entry);
      if (next === '0-0') break;
      cursor = next;
    }
    await this.forgetIdleConsumers(connection, key);
  }

  /** Every coordinator start adds a consumer; remove the ones long gone with nothing pending. */
  private async forgetIdleConsumers(connection: RedisClient, key: string): Promise<void> {
    const consumers = (await connection.xinfo('CONSUMERS', key, OUTBOX_GROUP)) as unknown[][];
    for (const flat of consumers) {
      const info: Record<string, unknown> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) info[String(flat[i])] = flat[i + 1];
      const name = String(info['name']);
      if (name !== this.consumer && Number(info['pending']) === 0 && Number(info['idle']) > this.options.forgetConsumersAfterMs) {
        await connection.xgroup('DELCONSUMER', key, OUTBOX_GROUP, name);
      }
    }
  }
}

/** The event of an outbox entry, or `null` when it is not one. */
function eventOf(fields: string[] | null): SinkEvent | null {
  if (!fields) return null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'event') continue;
    try {
      const event = JSON.parse(fields[i + 1]!) as Partial<SinkEvent>;
      if (typeof event.id === 'string' && typeof event.type === 'string' && typeof event.timestamp === 'string' && typeof event.data === 'object') {
        return event as SinkEvent;
      }
    } catch {
      return null;
    }
  }
  return null;
}
