import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InvalidMonitorError, monitorDocument, parseMonitorInput, type MonitorInput } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_MAX_REGIONS, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import type { DryRun } from '../http/dry-run';
import { ifMatchAllows, preconditionFailed, type IfMatch } from '../http/if-match';
import { conflict, notFound, problem, validationFailed } from '../http/problem';
import { keyToStore } from '../http/resource-key-rules';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RegionLifecycle } from '../regions/region-lifecycle.service';
import { RegionsRepository } from '../regions/regions.repository';
import { registryFull } from '../regions/regions.service';
import { RoundScheduler } from '../scheduling/round-scheduler.service';
import { applyMergePatch } from './json-merge-patch';
import type { Monitor, PresentedMonitor, StoredMonitor } from './monitor';
import { monitorChanges } from './monitor-changes';
import { isMonitorId, newMonitorId } from './monitor-id';
import { MonitorDeletions } from './monitor-deletions.service';
import { presentedMonitor, presentMonitor } from './monitor-secrets';
import { MonitorsRepository, type MonitorPage, type RegistryLimits, type SaveOutcome } from './monitors.repository';
import { keepStoredSecrets } from './secret-placeholders';

/** Updates retried this many times when another writer got there first, before answering 409. */
const UPDATE_ATTEMPTS = 5;

/** How a write is asked for: its precondition (`If-Match`), and whether it is a dry run. */
export interface WriteOptions {
  ifMatch: IfMatch | null;
  dryRun: boolean;
}

/** What a write answers: the monitor as stored, or what a dry run would have stored. */
export type MonitorWrite = PresentedMonitor | DryRun<PresentedMonitor>;

const NOT_DRY: WriteOptions = { ifMatch: null, dryRun: false };

/**
 * Monitor use cases: validate, store, and keep the monitor's scheduler and regions in step. The
 * monitor is stored first (registering its regions, within `MAX_REGIONS`): should the scheduler
 * upsert fail (Redis blip), the reconciler puts it right within a minute, and the client sees the
 * failure and may retry. Deleting one ends its story (see {@link MonitorDeletions}). Every monitor
 * it answers with has its secrets redacted (`presentMonitor`); a secret sent back as its
 * placeholder keeps the stored value (`keepStoredSecrets`).
 *
 * A monitor's key is claimed on create (unique, in the create script) and never changes; every
 * write answers with the revision it made, and takes an If-Match: a stale one is a 412, never
 * rebased by the retry of a conflict. A dry run goes the same way up to the write, and answers
 * with the changes it would make.
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

  async create(body: unknown, options: Pick<WriteOptions, 'dryRun'> = NOT_DRY): Promise<MonitorWrite> {
    const input = this.keepSecrets(this.validate(body), null);
    const { key: given, ...fields } = input;
    const key = keyToStore(given, null, 'invalid monitor');
    const now = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const monitor: Monitor = { id: newMonitorId(this.clock.now()), ...(key !== undefined ? { key } : {}), ...fields, createdAt: now, updatedAt: now };
      if (options.dryRun) return this.dryCreate(monitor);
      const outcome = await this.repository.create(monitor, this.registryLimits());
      if (outcome === 'exists') continue; // 50 random bits collided: draw again
      if (outcome === 'too_many_regions') throw await this.registryFullFor(monitor);
      if (typeof outcome === 'object') throw keyTaken(key, outcome.keyTakenBy);
      await this.activate(monitor);
      this.logger.info({ monitorId: monitor.id, key, regions: monitor.regions, intervalSeconds: monitor.intervalSeconds }, 'monitor created');
      return presentedMonitor(monitor, 1);
    }
    throw new Error('could not allocate a monitor id');
  }

  async get(monitorId: string): Promise<PresentedMonitor> {
    const stored = await this.find(monitorId);
    return presentedMonitor(stored.monitor, stored.revision);
  }

  /** A page of monitors; with `key`, the page of the one monitor that has it (or none). */
  async list(limit: number, cursor?: string, key?: string): Promise<MonitorPage> {
    if (key !== undefined) {
      const found = await this.findByKey(key);
      return { items: found ? [found] : [], nextCursor: null };
    }
    return this.repository.list(limit, cursor);
  }

  /** PUT: the body replaces the monitor (fields left out take their defaults; a key left out stays). */
  async replace(monitorId: string, body: unknown, options: WriteOptions = NOT_DRY): Promise<MonitorWrite> {
    const input = this.validate(body);
    return this.update(monitorId, (current) => this.keepSecrets(input, current), options);
  }

  /**
   * PATCH: the body is a JSON Merge Patch of the monitor as shown (secrets as placeholders); the
   * result is validated whole. So a secret the patch does not restate is kept only while the
   * monitor keeps its target: a patch that points it elsewhere must send its secrets again.
   */
  async patch(monitorId: string, body: unknown, options: WriteOptions = NOT_DRY): Promise<MonitorWrite> {
    return this.update(
      monitorId,
      (current) => this.keepSecrets(this.validate(applyMergePatch(monitorDocument(presentMonitor(current)), body)), current),
      options,
    );
  }

  /**
   * Deletes the monitor, then at once what depends on it: its schedule, its waiting checks, its open
   * incident (resolved, `monitor_deleted`). Should that second part fail, the deletion is recorded
   * and the deletions sweep finishes it; the monitor is gone either way.
   */
  async delete(monitorId: string, ifMatch: IfMatch | null = null): Promise<void> {
    const deletedAt = this.clock.now();
    const revisions = ifMatch?.kind === 'tags' ? ifMatch.revisions : null;
    const deleted = isMonitorId(monitorId) ? await this.repository.delete(monitorId, deletedAt, revisions) : { outcome: 'missing' as const };
    if (deleted.outcome === 'missing') throw notFound(`monitor ${monitorId} not found`);
    if (deleted.outcome === 'stale') throw preconditionFailed(`monitor ${monitorId}`, deleted.revision, ifMatch ?? { kind: 'any' });
    const { regions } = deleted;
    this.logger.info({ monitorId }, 'monitor deleted');
    // Rounds already under way finish without it: results and deadlines of a deleted monitor are ignored.
    try {
      await this.deletions.finish({ monitorId, deletedAt, regions });
    } catch (error) {
      this.logger.warn({ err: error, monitorId }, 'finishing the deletion failed; the deletions sweep finishes it');
    }
    await this.lifecycle.refresh();
  }

  /**
   * Writes what `next` makes of the stored monitor, compare-and-set on its revision: another writer
   * getting there first makes it read again and retry, unless an If-Match names the revision read,
   * which is then stale (412). A key in the body must be the monitor's own.
   */
  private async update(monitorId: string, next: (current: Monitor) => MonitorInput, options: WriteOptions): Promise<MonitorWrite> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const stored = await this.find(monitorId);
      if (options.ifMatch && !ifMatchAllows(options.ifMatch, stored.revision)) throw preconditionFailed(`monitor ${monitorId}`, stored.revision, options.ifMatch);
      const { key: given, ...fields } = next(stored.monitor);
      const key = keyToStore(given, stored.monitor, 'invalid monitor');
      const monitor: Monitor = {
        id: monitorId,
        ...(key !== undefined ? { key } : {}),
        ...fields,
        createdAt: stored.monitor.createdAt,
        updatedAt: new Date(this.clock.now()).toISOString(),
      };
      if (options.dryRun) {
        if (!(await this.repository.registryFits(monitor.regions, this.registryLimits().maxRegions))) throw await this.registryFullFor(monitor);
        return { dryRun: true, changes: monitorChanges(stored.monitor, monitor), result: presentedMonitor(monitor, stored.revision + 1) };
      }
      const outcome: SaveOutcome = await this.repository.update(monitor, stored.revision, this.registryLimits());
      if (outcome === 'missing') throw notFound(`monitor ${monitorId} not found`);
      if (outcome === 'too_many_regions') throw await this.registryFullFor(monitor);
      if (outcome === 'conflict') continue;
      await this.activate(monitor);
      this.logger.info({ monitorId, regions: monitor.regions, intervalSeconds: monitor.intervalSeconds }, 'monitor updated');
      return presentedMonitor(monitor, stored.revision + 1);
    }
    throw new HttpException(problem(HttpStatus.CONFLICT, 'the monitor is being changed concurrently; retry'), HttpStatus.CONFLICT);
  }

  /** What creating `monitor` would do, checked as the create script checks it (as of now), without writing. */
  private async dryCreate(monitor: Monitor): Promise<DryRun<PresentedMonitor>> {
    if (monitor.key !== undefined) {
      const owner = await this.repository.idOfKey(monitor.key);
      if (owner !== null) throw keyTaken(monitor.key, owner);
    }
    if (!(await this.repository.registryFits(monitor.regions, this.registryLimits().maxRegions))) throw await this.registryFullFor(monitor);
    return { dryRun: true, changes: monitorChanges(null, monitor), result: presentedMonitor(monitor, 1) };
  }

  /** The monitor created with `key`, or, for a monitor without a key, the one whose id it is. */
  private async findByKey(key: string): Promise<PresentedMonitor | null> {
    const id = await this.repository.idOfKey(key);
    if (id !== null) return this.repository.present(id);
    if (!isMonitorId(key)) return null;
    const monitor = await this.repository.present(key);
    return monitor?.key === key ? monitor : null;
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

function keyTaken(key: string | undefined, owner: string): HttpException {
  return conflict(`monitor key ${key ?? ''} is taken by ${owner}`);
}
