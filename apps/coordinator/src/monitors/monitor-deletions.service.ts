import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { PeriodicTask } from '../core/periodic-task';
import { IncidentTransitions } from '../incidents/incident-transitions.service';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RedisConnections } from '../redis/redis-connections';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { RegionQueues } from '../regions/region-queues.service';
import { RollupsRepository } from '../rollups/rollups.repository';
import { RoundScheduler } from '../scheduling/round-scheduler.service';
import { MonitorsRepository, type DeletedMonitor } from './monitors.repository';

/** How often unfinished deletions are looked for (a coordinator died in the middle of one). */
const SWEEP_EVERY_MS = 60_000;
/** A deletion younger than this is left to the coordinator finishing it now. */
const SWEEP_AFTER_MS = 10_000;

/**
 * What deleting a monitor sets going, once the monitor itself is gone from the catalog: its state
 * shard gets its tombstone and loses its state, history and uptime rollups (after the tombstone, so
 * no late commit writes them again), its schedule is removed, its checks
 * still waiting in the regions' queues are withdrawn, and its open incident resolves
 * (`monitor_deleted`, with `incident.resolved` delivered through the outbox). The deletion is
 * recorded in the same script that deletes the monitor (`cc:{c}:monitors:deleted`), and forgotten
 * once all of this is done; the coordinator that deleted it does it at once, and a sweep (at boot,
 * every minute, after a Redis reconnect) finishes any deletion a coordinator left half done. Every
 * step is idempotent, so finishing a deletion twice is harmless.
 */
@Injectable()
export class MonitorDeletions implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly task = new PeriodicTask(() => this.sweep(SWEEP_AFTER_MS), SWEEP_EVERY_MS);
  private stopping = false;

  constructor(
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(RoundScheduler) private readonly scheduler: RoundScheduler,
    @Inject(RegionQueues) private readonly regionQueues: RegionQueues,
    @Inject(IncidentTransitions) private readonly incidents: IncidentTransitions,
    @Inject(IncidentsRepository) private readonly incidentStore: IncidentsRepository,
    @Inject(RollupsRepository) private readonly rollups: RollupsRepository,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'monitor-deletions' });
  }

  onApplicationBootstrap(): void {
    // At boot, every deletion left unfinished is finished, however young.
    void this.sweep(0);
    this.task.start();
    this.connections.onReconnect(() => void this.task.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.task.stop();
  }

  /** Finishes one deletion; throws when Redis fails (the sweep tries again). */
  async finish(deletion: DeletedMonitor): Promise<void> {
    const { monitorId } = deletion;
    await this.monitors.purgeState(monitorId);
    await this.rollups.purge(monitorId, this.clock.now());
    await this.scheduler.unschedule(monitorId);
    const withdrawn = await this.regionQueues.withdrawMonitor(monitorId);
    const incident = await this.incidents.closeForDeletedMonitor(deletion);
    // A monitor of that id exists again only if ids collided; its story is not this one's.
    await this.monitors.forgetDeleted(monitorId);
    this.logger.info({ monitorId, withdrawnChecks: withdrawn, incident }, 'monitor deletion finished');
  }

  /**
   * Finishes every recorded deletion older than `minAgeMs`, then resolves the incidents left open by
   * monitors deleted without such a record (by a version that did not resolve them).
   */
  private async sweep(minAgeMs: number): Promise<void> {
    try {
      const now = this.clock.now();
      const deletions = await this.monitors.deletedMonitors();
      for (const deletion of deletions) {
        if (this.stopping) return;
        if (now - deletion.deletedAt < minAgeMs) continue;
        await this.finish(deletion);
      }
      const recorded = new Set(deletions.map((deletion) => deletion.monitorId));
      for (const monitorId of await this.incidentStore.monitorsGoneWithOpenIncidents()) {
        if (this.stopping || recorded.has(monitorId)) continue;
        const outcome = await this.incidents.closeForDeletedMonitor({ monitorId, deletedAt: this.clock.now(), regions: [] });
        this.logger.warn({ monitorId, incident: outcome }, 'resolved the open incident of a monitor deleted earlier');
      }
    } catch (error) {
      if (isRedisUnavailable(error)) this.logger.debug({ err: error }, 'unfinished deletions: waiting for Redis');
      else this.logger.warn({ err: error }, 'could not finish deletions; retrying later');
    }
  }
}
