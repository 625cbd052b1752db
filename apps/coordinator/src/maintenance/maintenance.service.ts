import { HttpException, Inject, Injectable } from '@nestjs/common';
import {
  documentChanges,
  InvalidMaintenanceError,
  MAX_MAINTENANCE_WINDOWS,
  parseMaintenanceInput,
  type FieldIssue,
  type MaintenanceInput,
  type MaintenancePageView,
  type MaintenanceView,
} from '@crosscheck/contract';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import type { DryRun } from '../http/dry-run';
import { ifMatchAllows, preconditionFailed, type IfMatch } from '../http/if-match';
import { conflict, notFound, validationFailed } from '../http/problem';
import { keyToStore } from '../http/resource-key-rules';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { applyMergePatch } from '../monitors/json-merge-patch';
import { isMaintenanceId, newMaintenanceId } from './maintenance-id';
import { CompiledWindow, maintenanceDocument, presentMaintenance, type MaintenanceWindow, type StoredMaintenanceWindow } from './maintenance-window';
import { MaintenanceRepository, type SaveWindowOutcome } from './maintenance.repository';

const UPDATE_ATTEMPTS = 5;
const INVALID = 'invalid maintenance window';

/** How a write is asked for: its precondition (`If-Match`), and whether it is a dry run. */
export interface MaintenanceWriteOptions {
  ifMatch: IfMatch | null;
  dryRun: boolean;
}

/** What a write answers: the window as stored, or what a dry run would have stored. */
export type MaintenanceWrite = MaintenanceView | DryRun<MaintenanceView>;

/** Filters of a listing. */
export interface MaintenanceQuery {
  limit: number;
  cursor?: string;
  key?: string;
  /** Only windows with an occurrence in effect now (`true`) or not (`false`). */
  active?: boolean;
  /** Only windows that name this monitor (or select it by its labels). */
  monitorId?: string;
}

const NOT_DRY: MaintenanceWriteOptions = { ifMatch: null, dryRun: false };

/**
 * Maintenance window use cases: validate, store, read. A window's key is chosen on create and never
 * changes; every monitor a window names must exist (a 400 naming each one that does not). Writes are
 * compare-and-set on the revision, take If-Match (a stale one is a 412) and dry runs, as the other
 * resources do. A write bumps the calendar's version, so every coordinator's rounds see it next.
 */
@Injectable()
export class MaintenanceService {
  private readonly logger: Logger;

  constructor(
    @Inject(MaintenanceRepository) private readonly repository: MaintenanceRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'maintenance' });
  }

  async create(body: unknown, options: Pick<MaintenanceWriteOptions, 'dryRun'> = NOT_DRY): Promise<MaintenanceWrite> {
    const now = this.clock.now();
    const input = validate(() => parseMaintenanceInput(body, now));
    const key = keyToStore(input.key, null, INVALID);
    await this.requireMonitors(input.monitorIds);
    const at = new Date(now).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const window = windowOf(newMaintenanceId(now), key, input, at, at);
      const stored = { window, revision: 1 };
      if (options.dryRun) {
        const owner = key === undefined ? null : await this.repository.idOfKey(key);
        if (owner !== null) throw keyTaken(key, owner);
        const result = presentMaintenance(stored, now);
        return { dryRun: true, changes: documentChanges(undefined, maintenanceDocument(result)), result };
      }
      const outcome = await this.repository.create(window, MAX_MAINTENANCE_WINDOWS);
      if (outcome === 'exists') continue;
      refuse(outcome, window, key);
      this.logger.info({ maintenanceId: window.id, key, kind: window.schedule.kind, monitors: window.monitorIds.length }, 'maintenance window created');
      return presentMaintenance(stored, now);
    }
    throw new Error('could not allocate a maintenance window id');
  }

  async list(query: MaintenanceQuery): Promise<MaintenancePageView> {
    const now = this.clock.now();
    if (query.key !== undefined) {
      const id = (await this.repository.idOfKey(query.key)) ?? (isMaintenanceId(query.key) ? query.key : null);
      const stored = id === null ? null : await this.repository.get(id);
      const items = stored && (stored.window.key ?? stored.window.id) === query.key ? [stored] : [];
      return { items: items.filter((s) => matches(s, query, now)).map((s) => presentMaintenance(s, now)), nextCursor: null };
    }
    if (query.active === undefined && query.monitorId === undefined) {
      const page = await this.repository.list(query.limit, query.cursor);
      return { items: page.items.map((s) => presentMaintenance(s, now)), nextCursor: page.nextCursor };
    }
    // Filtered: there are at most MAX_MAINTENANCE_WINDOWS windows, so read them all and page the matches.
    const { windows } = await this.repository.snapshot();
    const matching = windows.filter((s) => (query.cursor === undefined || s.window.id > query.cursor) && matches(s, query, now));
    const page = matching.slice(0, query.limit);
    return { items: page.map((s) => presentMaintenance(s, now)), nextCursor: matching.length > query.limit ? (page[page.length - 1]?.window.id ?? null) : null };
  }

  async get(windowId: string): Promise<MaintenanceView> {
    return presentMaintenance(await this.find(windowId), this.clock.now());
  }

  /** PUT: the body replaces the window (a key left out stays; a `startsAt` left out is now). */
  async replace(windowId: string, body: unknown, options: MaintenanceWriteOptions = NOT_DRY): Promise<MaintenanceWrite> {
    const input = validate(() => parseMaintenanceInput(body, this.clock.now()));
    return this.update(windowId, () => input, options);
  }

  /** PATCH: a JSON Merge Patch (RFC 7396) of the window as a configuration file says it, validated whole. */
  async patch(windowId: string, body: unknown, options: MaintenanceWriteOptions = NOT_DRY): Promise<MaintenanceWrite> {
    return this.update(windowId, (current) => validate(() => parseMaintenanceInput(applyMergePatch(maintenanceDocument(current), body), this.clock.now())), options);
  }

  async delete(windowId: string, ifMatch: IfMatch | null = null): Promise<void> {
    const deleted = isMaintenanceId(windowId) ? await this.repository.delete(windowId, ifMatch?.kind === 'tags' ? ifMatch.revisions : null) : { outcome: 'missing' as const };
    if (deleted.outcome === 'missing') throw notFound(`maintenance window ${windowId} not found`);
    if (deleted.outcome === 'stale') throw preconditionFailed(`maintenance window ${windowId}`, deleted.revision, ifMatch ?? { kind: 'any' });
    this.logger.info({ maintenanceId: windowId }, 'maintenance window deleted');
  }

  private async update(windowId: string, next: (current: MaintenanceView) => MaintenanceInput, options: MaintenanceWriteOptions): Promise<MaintenanceWrite> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const stored = await this.find(windowId);
      if (!ifMatchAllows(options.ifMatch, stored.revision)) throw preconditionFailed(`maintenance window ${windowId}`, stored.revision, options.ifMatch ?? { kind: 'any' });
      const now = this.clock.now();
      const current = presentMaintenance(stored, now);
      const input = next(current);
      const key = keyToStore(input.key, stored.window, INVALID);
      await this.requireMonitors(input.monitorIds);
      const window = windowOf(windowId, key, input, stored.window.createdAt, new Date(now).toISOString());
      const written = { window, revision: stored.revision + 1 };
      if (options.dryRun) {
        const result = presentMaintenance(written, now);
        return { dryRun: true, changes: documentChanges(maintenanceDocument(current), maintenanceDocument(result)), result };
      }
      const outcome = await this.repository.update(window, stored.revision);
      if (outcome === 'conflict') continue;
      refuse(outcome, window, key);
      this.logger.info({ maintenanceId: windowId, kind: window.schedule.kind }, 'maintenance window updated');
      return presentMaintenance(written, now);
    }
    throw conflict('the maintenance window is being changed concurrently; retry');
  }

  private async requireMonitors(monitorIds: readonly string[]): Promise<void> {
    const existing = await this.repository.existingMonitors(monitorIds);
    const issues = unknownMonitorIssues(monitorIds, monitorIds.filter((id) => !existing.has(id)));
    if (issues.length > 0) throw validationFailed(INVALID, issues);
  }

  private async find(windowId: string): Promise<StoredMaintenanceWindow> {
    const stored = isMaintenanceId(windowId) ? await this.repository.get(windowId) : null;
    if (!stored) throw notFound(`maintenance window ${windowId} not found`);
    return stored;
  }
}

function matches(stored: StoredMaintenanceWindow, query: MaintenanceQuery, now: number): boolean {
  const compiled = new CompiledWindow(stored.window);
  // A label-selected window matches a monitor id only once monitors carry labels; until then it names none.
  if (query.monitorId !== undefined && !stored.window.monitorIds.includes(query.monitorId)) return false;
  if (query.active !== undefined && (compiled.occurrenceAt(now) !== null) !== query.active) return false;
  return true;
}

function windowOf(id: string, key: string | undefined, input: MaintenanceInput, createdAt: string, updatedAt: string): MaintenanceWindow {
  return { id, ...(key !== undefined ? { key } : {}), monitorIds: input.monitorIds, labels: input.labels, schedule: input.schedule, reason: input.reason, createdAt, updatedAt };
}

function refuse(outcome: SaveWindowOutcome, window: MaintenanceWindow, key: string | undefined): void {
  if (outcome === 'ok') return;
  if (outcome === 'missing') throw notFound(`maintenance window ${window.id} not found`);
  if (outcome === 'exists' || outcome === 'conflict') throw conflict('the maintenance window is being changed concurrently; retry');
  if (outcome === 'too_many') throw conflict(`this coordinator keeps at most ${MAX_MAINTENANCE_WINDOWS} maintenance windows; delete one first`);
  if ('keyTakenBy' in outcome) throw keyTaken(key, outcome.keyTakenBy);
  throw validationFailed(INVALID, unknownMonitorIssues(window.monitorIds, outcome.unknownMonitors));
}

function unknownMonitorIssues(monitorIds: readonly string[], unknown: readonly string[]): FieldIssue[] {
  const missing = new Set(unknown);
  return monitorIds.flatMap((id, index) => (missing.has(id) ? [{ path: `monitorIds.${index}`, message: `no monitor ${id} (unknown, or deleted)` }] : []));
}

function keyTaken(key: string | undefined, owner: string): HttpException {
  return conflict(`maintenance window key ${key ?? ''} is taken by ${owner}`);
}

function validate<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidMaintenanceError) throw validationFailed(INVALID, error.issues);
    throw error;
  }
}
