import { HttpException, Inject, Injectable } from '@nestjs/common';
import {
  documentChanges,
  InvalidStatusPageError,
  MAX_STATUS_PAGES,
  parseStatusPageInput,
  type FieldIssue,
  type StatusPageInput,
  type StatusPagePageView,
  type StatusPageView,
} from '@crosscheck/contract';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import type { DryRun } from '../http/dry-run';
import { ifMatchAllows, preconditionFailed, type IfMatch } from '../http/if-match';
import { conflict, notFound, validationFailed } from '../http/problem';
import { keyToStore } from '../http/resource-key-rules';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { applyMergePatch } from '../monitors/json-merge-patch';
import { presentStatusPage, statusPageDocument, type StatusPage, type StoredStatusPage } from './status-page';
import { isStatusPageId, newStatusPageId } from './status-page-id';
import { StatusPagesRepository, type SavePageOutcome } from './status-pages.repository';

/** Updates retried this many times when another writer got there first, before answering 409. */
const UPDATE_ATTEMPTS = 5;

/** How a write is asked for: its precondition (`If-Match`), and whether it is a dry run. */
export interface StatusPageWriteOptions {
  ifMatch: IfMatch | null;
  dryRun: boolean;
}

/** What a write answers: the page as stored, or what a dry run would have stored. */
export type StatusPageWrite = StatusPageView | DryRun<StatusPageView>;

const NOT_DRY: StatusPageWriteOptions = { ifMatch: null, dryRun: false };

/**
 * Status page use cases: validate, store, read. A page's slug and key are unique (claimed in the
 * write's script); the key is chosen on create and never changes, the slug may. Every monitor a
 * write names must exist (a 400 naming each one that does not). A monitor deleted later simply
 * leaves the page: reads list only the monitors that exist, and the page's next write stores the
 * list without it. Writes are compare-and-set on the revision, take If-Match (a stale one is a 412)
 * and dry runs, as monitors and webhooks do.
 */
@Injectable()
export class StatusPagesService {
  private readonly logger: Logger;
  /** Told of every page written or deleted (the public pages' cache), by slug. */
  private readonly changeListeners: ((slug: string) => void)[] = [];

  constructor(
    @Inject(StatusPagesRepository) private readonly repository: StatusPagesRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'status-pages' });
  }

  /** Calls `listener` with the slug of every page this coordinator writes or deletes (its old slug too, when it changes). */
  onChange(listener: (slug: string) => void): void {
    this.changeListeners.push(listener);
  }

  async create(body: unknown, options: Pick<StatusPageWriteOptions, 'dryRun'> = NOT_DRY): Promise<StatusPageWrite> {
    const input = validate(() => parseStatusPageInput(body));
    const key = keyToStore(input.key, null, 'invalid status page');
    await this.requireMonitors(input.monitorIds);
    const now = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const page = pageOf(newStatusPageId(this.clock.now()), key, input, now, now);
      const stored = { page, revision: 1 };
      if (options.dryRun) {
        await this.requireFree(page, key);
        const result = present(stored);
        return { dryRun: true, changes: documentChanges(undefined, statusPageDocument(result)), result };
      }
      const outcome = await this.repository.create(page, MAX_STATUS_PAGES);
      if (outcome === 'exists') continue; // 50 random bits collided: draw again
      this.refuse(outcome, page, key);
      this.logger.info({ statusPageId: page.id, key, slug: page.slug, monitors: page.monitorIds.length }, 'status page created');
      this.changed(page.slug);
      return present(stored);
    }
    throw new Error('could not allocate a status page id');
  }

  /** A page of status pages; with `key`, the page of the one that has it (or none). */
  async list(limit: number, cursor?: string, key?: string): Promise<StatusPagePageView> {
    if (key !== undefined) {
      const id = (await this.repository.idOfKey(key)) ?? (isStatusPageId(key) ? key : null);
      const stored = id === null ? null : await this.repository.get(id);
      const items = stored && (stored.page.key ?? stored.page.id) === key ? [stored] : [];
      return { items: await this.presentAll(items), nextCursor: null };
    }
    const page = await this.repository.list(limit, cursor);
    return { items: await this.presentAll(page.items), nextCursor: page.nextCursor };
  }

  async get(pageId: string): Promise<StatusPageView> {
    return (await this.presentAll([await this.find(pageId)]))[0]!;
  }

  /** The page at `slug`, as stored; `null` when there is none. */
  async bySlug(slug: string): Promise<StoredStatusPage | null> {
    const id = await this.repository.idOfSlug(slug);
    const stored = id === null ? null : await this.repository.get(id);
    // A page whose slug changed between the two reads is not at this slug any more.
    return stored && stored.page.slug === slug ? stored : null;
  }

  /** PUT: the body replaces the page (a description left out is none; a key left out stays). */
  async replace(pageId: string, body: unknown, options: StatusPageWriteOptions = NOT_DRY): Promise<StatusPageWrite> {
    const input = validate(() => parseStatusPageInput(body));
    return this.update(pageId, () => input, options);
  }

  /** PATCH: a JSON Merge Patch (RFC 7396) of the page as shown (`{key, slug, title, description, monitorIds}`), validated whole. */
  async patch(pageId: string, body: unknown, options: StatusPageWriteOptions = NOT_DRY): Promise<StatusPageWrite> {
    return this.update(pageId, (current) => validate(() => parseStatusPageInput(applyMergePatch(statusPageDocument(current), body))), options);
  }

  async delete(pageId: string, ifMatch: IfMatch | null = null): Promise<void> {
    const stored = isStatusPageId(pageId) ? await this.repository.get(pageId) : null;
    const deleted = stored ? await this.repository.delete(pageId, ifMatch?.kind === 'tags' ? ifMatch.revisions : null) : { outcome: 'missing' as const };
    if (deleted.outcome === 'missing') throw notFound(`status page ${pageId} not found`);
    if (deleted.outcome === 'stale') throw preconditionFailed(`status page ${pageId}`, deleted.revision, ifMatch ?? { kind: 'any' });
    this.logger.info({ statusPageId: pageId }, 'status page deleted');
    if (stored) this.changed(stored.page.slug);
  }

  /**
   * Writes what `next` makes of the page as shown, compare-and-set on its revision: another writer
   * getting there first makes it read again and retry, unless an If-Match names the revision read,
   * which is then stale (412). A key in the body must be the page's own.
   */
  private async update(pageId: string, next: (current: StatusPageView) => StatusPageInput, options: StatusPageWriteOptions): Promise<StatusPageWrite> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const stored = await this.find(pageId);
      if (!ifMatchAllows(options.ifMatch, stored.revision)) throw preconditionFailed(`status page ${pageId}`, stored.revision, options.ifMatch ?? { kind: 'any' });
      const current = (await this.presentAll([stored]))[0]!;
      const input = next(current);
      const key = keyToStore(input.key, stored.page, 'invalid status page');
      await this.requireMonitors(input.monitorIds);
      const page = pageOf(pageId, key, input, stored.page.createdAt, new Date(this.clock.now()).toISOString());
      const written = { page, revision: stored.revision + 1 };
      if (options.dryRun) {
        await this.requireFree(page, undefined);
        const result = present(written);
        return { dryRun: true, changes: documentChanges(statusPageDocument(current), statusPageDocument(result)), result };
      }
      const outcome = await this.repository.update(page, stored.revision);
      if (outcome === 'conflict') continue;
      this.refuse(outcome, page, key);
      this.logger.info({ statusPageId: pageId, slug: page.slug, monitors: page.monitorIds.length }, 'status page updated');
      this.changed(stored.page.slug);
      this.changed(page.slug);
      return present(written);
    }
    throw conflict('the status page is being changed concurrently; retry');
  }

  /** A 400 naming every monitor id of the body that is no monitor (any more). */
  private async requireMonitors(monitorIds: readonly string[]): Promise<void> {
    const existing = await this.repository.existingMonitors(monitorIds);
    const issues = unknownMonitorIssues(monitorIds, monitorIds.filter((id) => !existing.has(id)));
    if (issues.length > 0) throw validationFailed('invalid status page', issues);
  }

  /** What the write script checks of slug and key, checked without writing (a dry run: as of now). */
  private async requireFree(page: StatusPage, key: string | undefined): Promise<void> {
    const [slugOwner, keyOwner] = await Promise.all([this.repository.idOfSlug(page.slug), key === undefined ? null : this.repository.idOfKey(key)]);
    if (keyOwner !== null) throw keyTaken(key, keyOwner);
    if (slugOwner !== null && slugOwner !== page.id) throw slugTaken(page.slug, slugOwner);
  }

  /** Throws what a refused write answers; returns for `ok`. */
  private refuse(outcome: SavePageOutcome, page: StatusPage, key: string | undefined): void {
    if (outcome === 'ok') return;
    if (outcome === 'missing') throw notFound(`status page ${page.id} not found`);
    if (outcome === 'exists' || outcome === 'conflict') throw conflict('the status page is being changed concurrently; retry');
    if (outcome === 'too_many') throw conflict(`this coordinator keeps at most ${MAX_STATUS_PAGES} status pages; delete one first`);
    if ('keyTakenBy' in outcome) throw keyTaken(key, outcome.keyTakenBy);
    if ('slugTakenBy' in outcome) throw slugTaken(page.slug, outcome.slugTakenBy);
    // A monitor deleted between the check and the write.
    throw validationFailed('invalid status page', unknownMonitorIssues(page.monitorIds, outcome.unknownMonitors));
  }

  private async find(pageId: string): Promise<StoredStatusPage> {
    const stored = isStatusPageId(pageId) ? await this.repository.get(pageId) : null;
    if (!stored) throw notFound(`status page ${pageId} not found`);
    return stored;
  }

  /** The pages as shown, each listing only the monitors that exist, with one read for all of them. */
  private async presentAll(pages: readonly StoredStatusPage[]): Promise<StatusPageView[]> {
    const existing = await this.repository.existingMonitors(pages.flatMap((stored) => stored.page.monitorIds));
    return pages.map((stored) => presentStatusPage(stored, existing));
  }

  private changed(slug: string): void {
    for (const listener of this.changeListeners) listener(slug);
  }
}

function pageOf(id: string, key: string | undefined, input: StatusPageInput, createdAt: string, updatedAt: string): StatusPage {
  return {
    id,
    ...(key !== undefined ? { key } : {}),
    slug: input.slug,
    title: input.title,
    description: input.description,
    monitorIds: input.monitorIds,
    createdAt,
    updatedAt,
  };
}

/** A page just written: every monitor it names exists (the script checked). */
function present(stored: StoredStatusPage): StatusPageView {
  return presentStatusPage(stored, new Set(stored.page.monitorIds));
}

function unknownMonitorIssues(monitorIds: readonly string[], unknown: readonly string[]): FieldIssue[] {
  const missing = new Set(unknown);
  return monitorIds.flatMap((id, index) => (missing.has(id) ? [{ path: `monitorIds.${index}`, message: `no monitor ${id} (unknown, or deleted)` }] : []));
}

function keyTaken(key: string | undefined, owner: string): HttpException {
  return conflict(`status page key ${key ?? ''} is taken by ${owner}`);
}

function slugTaken(slug: string, owner: string): HttpException {
  return conflict(`status page slug ${slug} is taken by ${owner}`);
}

function validate<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InvalidStatusPageError) throw validationFailed('invalid status page', error.issues);
    throw error;
  }
}
