import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { PeriodicTask } from '../core/periodic-task';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { STATE_SHARDS } from '../redis/coordinator-keys';
import { CheckDeadlines } from './check-deadlines.repository';
import { RegionQueues } from './region-queues.service';

/** Default time between two sweeps. */
export const CHECK_SWEEP_INTERVAL_MS = 5_000;
/** Checks dealt with per read of the deadline index. */
const BATCH = 200;

/**
 * Checks never outlive their deadline, whatever the agents do: every few seconds one coordinator
 * (whichever takes the sweep) withdraws from the regions' queues the checks whose deadline has
 * passed and that no agent has taken. A region without a live agent therefore holds the checks of
 * the rounds still under way, a few per monitor at most, never a backlog; and an agent coming back
 * finds nothing stale to wade through.
 */
@Injectable()
export class CheckSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly owner = randomUUID();
  private readonly task: PeriodicTask;
  private stopping = false;

  constructor(
    @Inject(CheckDeadlines) private readonly deadlines: CheckDeadlines,
    @Inject(RegionQueues) private readonly queues: RegionQueues,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'check-sweeper' });
    this.intervalMs = config.checkSweepIntervalMs ?? CHECK_SWEEP_INTERVAL_MS;
    this.task = new PeriodicTask(() => this.tick(), this.intervalMs);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.task.stop();
  }

  /** One sweep; returns how many checks were withdrawn and how many past-deadline ones were looked at. */
  async sweep(): Promise<{ withdrawn: number; expired: number }> {
    let withdrawn = 0;
    let expired = 0;
    for (let shard = 0; shard < STATE_SHARDS; shard++) {
      while (!this.stopping) {
        const due = await this.deadlines.expired(shard, this.clock.now(), BATCH);
        if (due.length === 0) break;
        withdrawn += await this.queues.withdraw(due);
        await this.deadlines.forget(shard, due);
        expired += due.length;
        if (due.length < BATCH) break;
      }
    }
    return { withdrawn, expired };
  }

  private async tick(): Promise<void> {
    try {
      // One coordinator sweeps per interval; another takes over when it is gone.
      if (!(await this.deadlines.takeSweep(this.owner, this.intervalMs))) return;
      const { withdrawn, expired } = await this.sweep();
      if (withdrawn > 0) this.logger.info({ withdrawn, expired }, 'checks past their deadline withdrawn (no agent took them)');
    } catch (error) {
      if (isRedisUnavailable(error)) this.logger.debug({ err: error }, 'check sweep waiting for Redis');
      else this.logger.warn({ err: error }, 'check sweep failed; retrying at the next interval');
    }
  }
}
