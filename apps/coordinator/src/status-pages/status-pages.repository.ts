import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { StatusPage, StoredStatusPage } from './status-page';

/**
 * Writes a status page, claiming its slug (and, on create, its key) and checking that every monitor
 * it names exists, in one script: two writers never end up with one slug, and a page never names a
 * monitor that was gone when it was written.
 * KEYS: page hash, page index, key index, slug index, monitor index.
 * ARGV: id, json, new revision, expected revision ('' = create), slug, key ('' = none; create only),
 *   max pages, monitor id...
 * Returns 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many' | 'key_taken:<owner>' |
 *   'slug_taken:<owner>' | 'unknown_monitors:<id,id>'.
 */
const SAVE_STATUS_PAGE = new LuaScript(
  'save-status-page',
  5,
  `
local current = redis.call('HGET', KEYS[1], 'revision')
if ARGV[4] == '' then
  if current then return 'exists' end
  if ARGV[6] ~= '' then
    local owner = redis.call('HGET', KEYS[3], ARGV[6])
    if owner then return 'key_taken:' .. owner end
  end
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[7]) then return 'too_many' end
else
  if not current then return 'missing' end
  if current ~= ARGV[4] then return 'conflict' end
end
local slugOwner = redis.call('HGET', KEYS[4], ARGV[5])
if slugOwner and slugOwner ~= ARGV[1] then return 'slug_taken:' .. slugOwner end
local unknown = {}
for i = 8, #ARGV do
  if not redis.call('ZSCORE', KEYS[5], ARGV[i]) then unknown[#unknown + 1] = ARGV[i] end
end
if #unknown > 0 then return 'unknown_monitors:' .. table.concat(unknown, ',') end
local oldSlug = redis.call('HGET', KEYS[1], 'slug')
if oldSlug and oldSlug ~= ARGV[5] then redis.call('HDEL', KEYS[4], oldSlug) end
redis.call('HSET', KEYS[4], ARGV[5], ARGV[1])
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'revision', ARGV[3], 'slug', ARGV[5])
if ARGV[4] == '' and ARGV[6] ~= '' then
  redis.call('HSET', KEYS[1], 'key', ARGV[6])
  redis.call('HSET', KEYS[3], ARGV[6], ARGV[1])
end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 'ok'
`,
);

/**
 * Deletes a page and frees its slug and key. KEYS: page hash, page index, key index, slug index.
 * ARGV: id, revisions it must be at (',3,4,'; '' = any). Returns {'deleted', ''}, {'missing', ''}
 * or {'stale', current revision} (nothing deleted).
 */
const DELETE_STATUS_PAGE = new LuaScript(
  'delete-status-page',
  4,
  `
local found = redis.call('HMGET', KEYS[1], 'revision', 'key', 'slug')
if not found[1] then return {'missing', ''} end
if ARGV[2] ~= '' and not string.find(ARGV[2], ',' .. found[1] .. ',', 1, true) then return {'stale', found[1]} end
if found[2] then redis.call('HDEL', KEYS[3], found[2]) end
if found[3] and redis.call('HGET', KEYS[4], found[3]) == ARGV[1] then redis.call('HDEL', KEYS[4], found[3]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {'deleted', ''}
`,
);

/** What writing a page came to. */
export type SavePageOutcome =
  | 'ok'
  | 'exists'
  | 'missing'
  | 'conflict'
  | 'too_many'
  | { keyTakenBy: string }
  | { slugTakenBy: string }
  | { unknownMonitors: string[] };

/** What deleting a page came to. */
export type DeletePageOutcome = { outcome: 'deleted' } | { outcome: 'missing' } | { outcome: 'stale'; revision: number };

/** One page of status pages, in creation order. */
export interface StoredPageList {
  items: StoredStatusPage[];
  nextCursor: string | null;
}

/** The settings stored in `json` (key and slug live in fields of their own too, for the scripts). */
type PageSettings = Omit<StatusPage, 'key'>;

/**
 * Status pages in Redis, in the catalog: hash `cc:{c}:status-page:<id>` (`json`, `revision`,
 * `slug`, `key`), listed by `cc:{c}:status-pages`, found by key in `cc:{c}:status-page-keys` and by
 * slug in `cc:{c}:status-page-slugs`. Every write is one script on the catalog's slot, where the
 * monitor index it checks against lives too.
 */
@Injectable()
export class StatusPagesRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** Stores a new page, claiming its slug and key; refused past `maxPages`. */
  async create(page: StatusPage, maxPages: number): Promise<SavePageOutcome> {
    return this.save(page, 1, '', maxPages);
  }

  /** Replaces a page if it is still at `expectedRevision` (optimistic concurrency); its slug may change, its key never. */
  async update(page: StatusPage, expectedRevision: number): Promise<SavePageOutcome> {
    return this.save(page, expectedRevision + 1, String(expectedRevision), Number.MAX_SAFE_INTEGER);
  }

  /** Deletes a page (with `revisions`, only if it is at one of them), freeing its slug and key. */
  async delete(pageId: string, revisions: readonly number[] | null): Promise<DeletePageOutcome> {
    const [outcome, revision] = (await DELETE_STATUS_PAGE.run(
      this.redis,
      [coordinatorKeys.statusPage(pageId), coordinatorKeys.statusPageIndex(), coordinatorKeys.statusPageKeys(), coordinatorKeys.statusPageSlugs()],
      [pageId, revisions === null ? '' : `,${revisions.join(',')},`],
    )) as ['deleted' | 'missing' | 'stale', string];
    if (outcome === 'stale') return { outcome, revision: Number(revision) };
    return { outcome };
  }

  async get(pageId: string): Promise<StoredStatusPage | null> {
    return (await this.getMany([pageId]))[0] ?? null;
  }

  /** The id of the page created with `key`; `null` when none has it. */
  async idOfKey(key: string): Promise<string | null> {
    return this.redis.hget(coordinatorKeys.statusPageKeys(), key);
  }

  /** The id of the page at `slug`; `null` when none is. */
  async idOfSlug(slug: string): Promise<string | null> {
    return this.redis.hget(coordinatorKeys.statusPageSlugs(), slug);
  }

  /** Pages after `cursor` (a page id), at most `limit`. */
  async list(limit: number, cursor?: string): Promise<StoredPageList> {
    const ids = await this.redis.zrangebylex(coordinatorKeys.statusPageIndex(), cursor ? `(${cursor}` : '-', '+', 'LIMIT', 0, limit + 1);
    const pageIds = ids.slice(0, limit);
    return { items: await this.getMany(pageIds), nextCursor: ids.length > limit ? (pageIds[pageIds.length - 1] ?? null) : null };
  }

  /** Which of `monitorIds` name a monitor that exists now, in one command. */
  async existingMonitors(monitorIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(monitorIds)];
    if (unique.length === 0) return new Set();
    const scores = await this.redis.zmscore(coordinatorKeys.monitorIndex(), ...unique);
    return new Set(unique.filter((_, index) => scores[index] !== null));
  }

  private async getMany(ids: readonly string[]): Promise<StoredStatusPage[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(coordinatorKeys.statusPage(id), 'json', 'revision', 'key');
    const found: StoredStatusPage[] = [];
    for (const [error, fields] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      const [json, revision, key] = fields as (string | null)[];
      // A page deleted between the index read and this one is simply left out.
      if (typeof json !== 'string') continue;
      const settings = JSON.parse(json) as PageSettings;
      found.push({ page: { ...settings, ...(typeof key === 'string' ? { key } : {}) }, revision: Number(revision ?? 1) });
    }
    return found;
  }

  private async save(page: StatusPage, revision: number, expectedRevision: string, maxPages: number): Promise<SavePageOutcome> {
    const { key, ...settings } = page;
    const outcome = String(
      await SAVE_STATUS_PAGE.run(
        this.redis,
        [
          coordinatorKeys.statusPage(page.id),
          coordinatorKeys.statusPageIndex(),
          coordinatorKeys.statusPageKeys(),
          coordinatorKeys.statusPageSlugs(),
          coordinatorKeys.monitorIndex(),
        ],
        [page.id, JSON.stringify(settings), revision, expectedRevision, page.slug, key ?? '', maxPages, ...page.monitorIds],
      ),
    );
    const [kind, value = ''] = splitOnce(outcome);
    if (kind === 'key_taken') return { keyTakenBy: value };
    if (kind === 'slug_taken') return { slugTakenBy: value };
    if (kind === 'unknown_monitors') return { unknownMonitors: value.split(',') };
    return kind as 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many';
  }
}

function splitOnce(outcome: string): [string, string?] {
  const at = outcome.indexOf(':');
  return at === -1 ? [outcome] : [outcome.slice(0, at), outcome.slice(at + 1)];
}
