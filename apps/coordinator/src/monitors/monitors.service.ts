import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InvalidMonitorError, monitorDocument, parseMonitorInput, type MonitorInput } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_MAX_REGIONS, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { notFound, problem, validationFailed } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RegionLifecycle } from '../regions/region-lifecycle.service';
import { RegionsRepository } from '../regions/regions.repository';
import { registryFull } from '../regions/regions.service';
import { RoundScheduler } from '../scheduling/round-scheduler.service';
import { applyMergePatch } from './json-merge-patch';
import type { Monitor, StoredMonitor } from './monitor';
import { isMonitorId, newMonitorId } from './monitor-id';
import { MonitorDeletions } from './monitor-deletions.service';
import { presentMonitor } from './monitor-secrets';
import { MonitorsRepository, type MonitorPage, type RegistryLimits, type SaveOutcome } from './monitors.repository';
import { keepStoredSecrets } from './secret-placeholders';

/** Updates retried this many times when another writer got there first, before answering 409. */
const UPDATE_ATTEMPTS = 5;

/**
 * Monitor use cases: validate, store, and keep the monitor's scheduler and regions in step. The
 * monitor is stored first (registering its regions, within `MAX_REGIONS`): should the scheduler
 * upsert fail (Redis blip), the reconciler puts it right within a minute, and the client sees the
 * failure and may retry. Deleting one ends its story (see {@link MonitorDeletions}). Every monitor
 * it answers with has its secrets redacted (`presentMonitor`); a secret sent back as its
 * placeholder keeps the stored value (`keepStoredSecrets`).
 */
@Injectable()
export class MonitorsService {
  private readonly logger: Logger;

  constructor(
    @Inject(MonitorsRepository) private readonly repository: MonitorsRepository,
    @Inject(RoundScheduler) private readonly scheduler: RoundScheduler,
    @Inject(RegionLifecycle) private readonly lifecycle: RegionLifecycle,
    @Inject(RegionsRepository) private readonly regions: RegionsRepository,
    @Inject(MonitorDeletions) private readonly deletions: MonitorDeletions,
    @Inject(COORDINATOR_CONFIG) private readonly config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'monitors' });
  }

  async create(body: unknown): Promise<Monitor> {
    const input = this.keepSecrets(this.validate(body), null);
    const now = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const monitor: Monitor = { id: newMonitorId(this.clock.now()), ...input, createdAt: now, updatedAt: now };
      const outcome = await this.repository.create(monitor, this.registryLimits());
      if (outcome === 'exists') continue; // 50 random bits collided: draw again
      if (outcome === 'too_many_regions') throw await this.registryFullFor(monitor);
      await this.activate(monitor);
      this.logger.info({ monitorId: monitor.id, regions: monitor.regions, intervalSeconds: monitor.intervalSeconds }, 'monitor created');
      return presentMonitor(monitor);
    }
    throw new Error('could not allocate a monitor id');
  }

  async get(monitorId: string): Promise<Monitor> {
    return presentMonitor((await this.find(monitorId)).monitor);
  }

  async list(limit: number, cursor?: string): Promise<MonitorPage> {
    const page = await this.repository.list(limit, cursor);
    return { ...page, items: page.items.map(presentMonitor) };
  }

  /** PUT: the body replaces the monitor (fields left out take their defaults). */
  async replace(monitorId: string, body: unknown): Promise<Monitor> {
    const input = this.validate(body);
    return this.update(monitorId, (current) => this.keepSecrets(input, current));
  }

  /**
   * PATCH: the body is a JSON Merge Patch of the monitor as shown (secrets as placeholders); the
   * result is validated whole. So a secret the patch does not restate is kept only while the
   * monitor keeps its target: a patch that points it elsewhere must send its secrets again.
   */
  async patch(monitorId: string, body: unknown): Promise<Monitor> {
    return this.update(monitorId, (current) =>
      this.keepSecrets(this.validate(applyMergePatch(monitorDocument(presentMonitor(current)), body)), current),
    );
  }

  /**
   * Deletes the monitor, then at once what depends on it: its schedule, its waiting checks, its open
   * incident (resolved, `monitor_deleted`). Should that second part fail, the deletion is recorded
   * and the deletions sweep finishes it; the monitor is gone either way.
   */
  async delete(monitorId: string): Promise<void> {
    const deletedAt = this.clock.now();
    const regions = isMonitorId(monitorId) ? await this.repository.delete(monitorId, deletedAt) : null;
    if (!regions) throw notFound(`monitor ${monitorId} not found`);
    this.logger.info({ monitorId }, 'monitor deleted');
    // Rounds already under way finish without it: results and deadlines of a deleted monitor are ignored.
    try {
      await this.deletions.finish({ monitorId, deletedAt, regions });
    } catch (error) {
      this.logger.warn({ err: error, monitorId }, 'finishing the deletion failed; the deletions sweep finishes it');
    }
    await this.lifecycle.refresh();
  }

  private async update(monitorId: string, next: (current: MonitorInput) => MonitorInput): Promise<Monitor> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const stored = await this.find(monitorId);
      const input = next(stored.monitor);
      const monitor: Monitor = {
        id: monitorId,
        ...input,
        createdAt: stored.monitor.createdAt,
        updatedAt: new Date(this.clock.now()).toISOString(),
      };
      const outcome: SaveOutcome = await this.repository.update(monitor, stored.revision, this.registryLimits());
      if (outcome === 'missing') throw notFound(`monitor ${monitorId} not found`);
      if (outcome === 'too_many_regions') throw await this.registryFullFor(monitor);
      if (outcome === 'conflict') continue;
      await this.activate(monitor);
      this.logger.info({ monitorId, regions: monitor.regions, intervalSeconds: monitor.intervalSeconds }, 'monitor updated');
      return presentMonitor(monitor);
    }
    throw new HttpException(problem(HttpStatus.CONFLICT, 'the monitor is being changed concurrently; retry'), HttpStatus.CONFLICT);
  }

  private async find(monitorId: string): Promise<StoredMonitor> {
    const stored = isMonitorId(monitorId) ? await this.repository.get(monitorId) : null;
    if (!stored) throw notFound(`monitor ${monitorId} not found`);
    return stored;
  }

  private async activate(monitor: Monitor): Promise<void> {
    // Its regions' results consumers open before its first round can come back.
    await this.lifecycle.refresh();
    await this.scheduler.schedule(monitor);
  }

  private registryLimits(): RegistryLimits {
    return { maxRegions: this.config.maxRegions ?? DEFAULT_MAX_REGIONS, now: this.clock.now() };
  }

  /** The 409 of a monitor whose new regions do not fit the registry, naming each of them by its path. */
  private async registryFullFor(monitor: Monitor): Promise<HttpException> {
    const unregistered = new Set(await this.regions.unregistered(monitor.regions));
    const maxRegions = this.registryLimits().maxRegions;
    return registryFull(maxRegions, {
      issues: monitor.regions.flatMap((region, index) =>
        unregistered.has(region)
          ? [{ path: `regions.${index}`, message: `region ${region} is not registered, and the registry holds MAX_REGIONS (${maxRegions}) regions` }]
          : [],
      ),
    });
  }

  private validate(body: unknown): MonitorInput {
    try {
      return parseMonitorInput(body, this.config.minIntervalSeconds);
    } catch (error) {
      if (error instanceof InvalidMonitorError) throw validationFailed('invalid monitor', error.issues);
      throw error;
    }
  }

  /**
   * `input` with the placeholders of the stored monitor's secrets (`current`, opened; `null` on
   * create) resolved to the stored values; a 400 naming every placeholder that cannot be.
   */
  private keepSecrets(input: MonitorInput, current: MonitorInput | null): MonitorInput {
    const { spec, issues } = keepStoredSecrets(input.spec, current?.spec ?? null);
    if (issues.length > 0) throw validationFailed('invalid monitor', issues);
    return { ...input, spec };
  }
}
