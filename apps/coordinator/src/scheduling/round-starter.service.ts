import { Inject, Injectable } from '@nestjs/common';
import { CONTRACT_VERSION, roundIdFor, type CheckJob } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { RegionLifecycle } from '../regions/region-lifecycle.service';
import { RegionQueues } from '../regions/region-queues.service';
import { RoundDeadlines } from '../results/round-deadlines.service';
import { RoundsRepository } from '../results/rounds.repository';
import { RoundScheduler } from './round-scheduler.service';
import { RoundStats } from './round-stats';

/** What starting a round came to (the round job's return value). */
export type RoundStart =
  | { started: true; roundId: string; created: boolean; lagMs: number; regions: string[] }
  | { started: false; reason: 'monitor_deleted' | 'past_deadline'; lagMs?: number };

/**
 * Starts the round of a monitor scheduled at `scheduledAt`: records it once, puts its deadline on
 * the deadlines queue and fans out one check job per region. Every id is derived from the monitor
 * and `scheduledAt`, so a second start of the same round (a retry, a stalled job taken over, a
 * second coordinator) adds nothing.
 */
@Injectable()
export class RoundStarter {
  private readonly logger: Logger;

  constructor(
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(RoundsRepository) private readonly rounds: RoundsRepository,
    @Inject(RoundDeadlines) private readonly deadlines: RoundDeadlines,
    @Inject(RegionQueues) private readonly regionQueues: RegionQueues,
    @Inject(RegionLifecycle) private readonly lifecycle: RegionLifecycle,
    @Inject(RoundScheduler) private readonly scheduler: RoundScheduler,
    @Inject(RoundStats) private readonly stats: RoundStats,
    @Inject(COORDINATOR_CONFIG) private readonly config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'rounds' });
  }

  /**
   * @param scheduledEveryMs the interval the scheduler produced this job with, to notice a
   *   scheduler left behind by a lost update and put it right.
   */
  async start(monitorId: string, scheduledAt: number, scheduledEveryMs?: number): Promise<RoundStart> {
    const roundId = roundIdFor(monitorId, scheduledAt);
    const log = this.logger.child({ monitorId, roundId });
    const stored = await this.monitors.get(monitorId);
    if (!stored) {
      // Deleted meanwhile, or a scheduler re-created by a reconcile that raced the delete.
      this.stats.recordSkippedDeleted();
      await this.scheduler.unschedule(monitorId);
      log.info('round of a deleted monitor skipped; its scheduler is removed');
      return { started: false, reason: 'monitor_deleted' };
    }
    const monitor = stored.monitor;
    if (scheduledEveryMs !== undefined && scheduledEveryMs !== monitor.intervalSeconds * 1_000) {
      log.warn({ scheduledEveryMs, intervalSeconds: monitor.intervalSeconds }, 'scheduler interval disagrees with the monitor; upserting it');
      await this.scheduler.schedule(monitor);
    }

    const now = this.clock.now();
    const lagMs = now - scheduledAt;
    const deadline = scheduledAt + monitor.spec.timeoutMs + this.config.roundGraceMs;
    if (now >= deadline) {
      // Agents would drop these checks unprobed; better say so once here.
      this.stats.recordSkippedLate();
      log.warn({ lagMs, deadline: new Date(deadline).toISOString() }, 'round reached after its deadline; skipped');
      return { started: false, reason: 'past_deadline', lagMs };
    }

    const created = await this.rounds.create({ roundId, monitorId, scheduledAt, deadline, regions: monitor.regions });
    await this.deadlines.schedule(monitorId, roundId, deadline);
    this.lifecycle.ensure(monitor.regions);
    const learns = monitor.spec.baseline?.enabled !== false;
    const memory = monitor.spec.conditional || learns ? await this.rounds.regionMemory(monitorId) : { latest: {}, baselines: {} };
    const previous = monitor.spec.conditional ? memory.latest : {};
    await this.regionQueues.dispatch(
      monitor.regions.map((region): CheckJob => {
        const validators = previous[region]?.validators;
        return {
          v: CONTRACT_VERSION,
          monitorId,
          roundId,
          region,
          scheduledAt,
          deadline,
          spec: monitor.spec,
          // `null` asks for a first one; the agent learns the next and sends it back with the result.
          ...(learns ? { baseline: memory.baselines[region] ?? null } : {}),
          ...(validators && (validators.etag !== undefined || validators.lastModified !== undefined)
            ? {
                previous: {
                  ...(validators.etag !== undefined ? { etag: validators.etag } : {}),
                  ...(validators.lastModified !== undefined ? { lastModified: validators.lastModified } : {}),
                },
              }
            : {}),
        };
      }),
    );
    if (created) this.stats.recordStart(lagMs);
    log.info({ lagMs, created, regions: monitor.regions, deadline: new Date(deadline).toISOString() }, 'round started');
    return { started: true, roundId, created, lagMs, regions: monitor.regions };
  }
}
