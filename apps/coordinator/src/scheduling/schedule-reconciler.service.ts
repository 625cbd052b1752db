import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { PeriodicTask } from '../core/periodic-task';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { RedisConnections } from '../redis/redis-connections';
import { RoundScheduler } from './round-scheduler.service';

const RECONCILE_EVERY_MS = 60_000;

/**
 * Makes the schedulers match the monitors: upserts one for every monitor (at boot, every minute
 * and after a Redis reconnect) and removes schedulers whose monitor is gone. Upserting an
 * unchanged scheduler keeps its slot, so this is safe with any number of coordinators, and it puts
 * back a scheduler whose next job was lost (e.g. Redis restarted from an older AOF).
 */
@Injectable()
export class ScheduleReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly task = new PeriodicTask(() => this.reconcileSafely(), RECONCILE_EVERY_MS);

  constructor(
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(RoundScheduler) private readonly scheduler: RoundScheduler,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'schedule-reconciler' });
  }

  onApplicationBootstrap(): void {
    void this.task.run();
    this.task.start();
    this.connections.onReconnect(() => void this.task.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns how many schedulers were upserted and removed. */
  async reconcile(): Promise<{ upserted: number; removed: number }> {
    const monitorIds = new Set<string>();
    let upserted = 0;
    for await (const monitor of this.monitors.all()) {
      monitorIds.add(monitor.id);
      await this.scheduler.schedule(monitor);
      upserted++;
    }
    let removed = 0;
    for (const id of await this.scheduler.scheduledMonitorIds()) {
      // Check again: the monitor may have been created after the listing above.
      if (monitorIds.has(id) || (await this.monitors.get(id))) continue;
      await this.scheduler.unschedule(id);
      removed++;
    }
    return { upserted, removed };
  }

  private async reconcileSafely(): Promise<void> {
    const started = Date.now();
    try {
      const { upserted, removed } = await this.reconcile();
      this.logger.info({ upserted, removed, tookMs: Date.now() - started }, 'schedules reconciled');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not reconcile schedules; retrying later');
    }
  }
}
