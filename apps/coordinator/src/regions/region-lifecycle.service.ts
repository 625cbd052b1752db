import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RedisConnections } from '../redis/redis-connections';
import { RegionsRepository } from './regions.repository';

/** How often the registry is read again, to follow regions other coordinators added or removed. */
const SYNC_EVERY_MS = 5_000;

/** What reacts to a region opening or closing on this coordinator (its consumers, its queues). */
export interface RegionListener {
  /** The region entered the registry (or this coordinator started): start what it needs. */
  opened?(region: string): void;
  /** The region left the registry: release what it held. */
  closed?(region: string): Promise<void>;
}

/**
 * The lifecycle of regions on this coordinator: a region is open while the registry holds it, and
 * whatever a region needs (a results consumer, its queues) opens and closes with it, so that
 * connections go back to where they were once regions go away. The registry is read at boot,
 * every few seconds, after a Redis reconnect and at once after a change made here; syncs never
 * overlap, so a region is never opened twice or closed while opening.
 */
@Injectable()
export class RegionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly open = new Set<string>();
  private readonly listeners: RegionListener[] = [];
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private started = false;
  private stopping = false;

  constructor(
    @Inject(RegionsRepository) private readonly registry: RegionsRepository,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'regions' });
  }

  /** Adds a listener; call from `onModuleInit`, before regions open. */
  listen(listener: RegionListener): void {
    this.listeners.push(listener);
  }

  /** Regions open on this coordinator. */
  regions(): string[] {
    return [...this.open].sort();
  }

  isOpen(region: string): boolean {
    return this.open.has(region);
  }

  /** Reads the registry now and opens and closes regions to match; resolves when done. */
  refresh(): Promise<void> {
    if (!this.started || this.stopping) return Promise.resolve();
    // One sync waiting behind the running one serves every caller that comes meanwhile.
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.sync();
    });
    this.running = this.queued;
    return this.queued;
  }

  /** Opens any of these regions not open yet (a round about to use them). */
  ensure(regions: readonly string[]): void {
    if (regions.some((region) => !this.open.has(region))) void this.refresh();
  }

  onApplicationBootstrap(): void {
    this.started = true;
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), SYNC_EVERY_MS);
    this.timer.unref();
    this.connections.onReconnect(() => void this.refresh());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async sync(): Promise<void> {
    if (this.stopping) return;
    let names: string[];
    try {
      names = await this.registry.names();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the region registry; retrying later');
      return;
    }
    const wanted = new Set(names);
    for (const region of [...this.open].filter((name) => !wanted.has(name))) {
      this.open.delete(region);
      for (const listener of this.listeners) {
        await listener.closed?.(region).catch((error: unknown) => this.logger.error({ err: error, region }, 'closing a region failed'));
      }
      this.logger.info({ region }, 'region closed');
    }
    for (const region of names.filter((name) => !this.open.has(name))) {
      if (this.stopping) return;
      this.open.add(region);
      for (const listener of this.listeners) {
        try {
          listener.opened?.(region);
        } catch (error) {
          this.logger.error({ err: error, region }, 'opening a region failed');
        }
      }
      this.logger.info({ region }, 'region opened');
    }
  }
}
