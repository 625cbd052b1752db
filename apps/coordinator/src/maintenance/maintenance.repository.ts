import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { MaintenanceWindow, StoredMaintenanceWindow } from './maintenance-window';

/**
 * Writes a window, claiming its key on create and checking that every monitor it names exists, and
 * bumps the calendar's version, in one script.
 * KEYS: window hash, window index, key index, monitor index, version counter.
 * ARGV: id, json, new revision, expected revision ('' = create), key ('' = none; create only), max windows, monitor id...
 * Returns 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many' | 'key_taken:<owner>' | 'unknown_monitors:<id,id>'.
 */
const SAVE_WINDOW = new LuaScript(
  'save-maintenance-window',
  5,
  `
local current = redis.call('HGET', KEYS[1], 'revision')
if ARGV[4] == '' then
  if current then return 'exists' end
  if ARGV[5] ~= '' then
    local owner = redis.call('HGET', KEYS[3], ARGV[5])
    if owner then return 'key_taken:' .. owner end
  end
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then return 'too_many' end
else
  if not current then return 'missing' end
  if current ~= ARGV[4] then return 'conflict' end
end
local unknown = {}
for i = 7, #ARGV do
  if not redis.call('ZSCORE', KEYS[4], ARGV[i]) then unknown[#unknown + 1] = ARGV[i] end
end
if #unknown > 0 then return 'unknown_monitors:' .. table.concat(unknown, ',') end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'revision', ARGV[3])
if ARGV[4] == '' and ARGV[5] ~= '' then
  redis.call('HSET', KEYS[1], 'key', ARGV[5])
  redis.call('HSET', KEYS[3], ARGV[5], ARGV[1])
end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('INCR', KEYS[5])
return 'ok'
`,
);

/**
 * Deletes a window and frees its key. KEYS: window hash, window index, key index, version counter.
 * ARGV: id, revisions it must be at (',3,4,'; '' = any). Returns {'deleted'|'missing'|'stale', revision}.
 */
const DELETE_WINDOW = new LuaScript(
  'delete-maintenance-window',
  4,
  `
local found = redis.call('HMGET', KEYS[1], 'revision', 'key')
if not found[1] then return {'missing', ''} end
if ARGV[2] ~= '' and not string.find(ARGV[2], ',' .. found[1] .. ',', 1, true) then return {'stale', found[1]} end
if found[2] then redis.call('HDEL', KEYS[3], found[2]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[4])
return {'deleted', ''}
`,
);

/** What writing a window came to. */
export type SaveWindowOutcome = 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many' | { keyTakenBy: string } | { unknownMonitors: string[] };

/** What deleting a window came to. */
export type DeleteWindowOutcome = { outcome: 'deleted' } | { outcome: 'missing' } | { outcome: 'stale'; revision: number };

/** Every window, and the calendar version they were read at. */
export interface WindowSnapshot {
  version: string;
  windows: StoredMaintenanceWindow[];
}

type WindowSettings = Omit<MaintenanceWindow, 'key'>;

/**
 * Maintenance windows in Redis, in the catalog: hash `cc:{c}:maintenance:<id>` (`json`, `revision`,
 * `key`), listed by `cc:{c}:maintenance-windows`, found by key in `cc:{c}:maintenance-keys`, and a
 * version counter `cc:{c}:maintenance-version` every write bumps (the coordinators' calendars reload
 * on a change). Every write is one script on the catalog's slot, where the monitor index is too.
 */
@Injectable()
export class MaintenanceRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  async create(window: MaintenanceWindow, maxWindows: number): Promise<SaveWindowOutcome> {
    return this.save(window, 1, '', maxWindows);
  }

  /** Replaces a window if it is still at `expectedRevision`; its key never changes. */
  async update(window: MaintenanceWindow, expectedRevision: number): Promise<SaveWindowOutcome> {
    return this.save(window, expectedRevision + 1, String(expectedRevision), Number.MAX_SAFE_INTEGER);
  }

  async delete(windowId: string, revisions: readonly number[] | null): Promise<DeleteWindowOutcome> {
    const [outcome, revision] = (await DELETE_WINDOW.run(
      this.redis,
      [coordinatorKeys.maintenanceWindow(windowId), coordinatorKeys.maintenanceIndex(), coordinatorKeys.maintenanceKeys(), coordinatorKeys.maintenanceVersion()],
      [windowId, revisions === null ? '' : `,${revisions.join(',')},`],
    )) as ['deleted' | 'missing' | 'stale', string];
    if (outcome === 'stale') return { outcome, revision: Number(revision) };
    return { outcome };
  }

  async get(windowId: string): Promise<StoredMaintenanceWindow | null> {
    return (await this.getMany([windowId]))[0] ?? null;
  }

  async idOfKey(key: string): Promise<string | null> {
    return this.redis.hget(coordinatorKeys.maintenanceKeys(), key);
  }

  /** Windows after `cursor` (an id), at most `limit`. */
  async list(limit: number, cursor?: string): Promise<{ items: StoredMaintenanceWindow[]; nextCursor: string | null }> {
    const ids = await this.redis.zrangebylex(coordinatorKeys.maintenanceIndex(), cursor ? `(${cursor}` : '-', '+', 'LIMIT', 0, limit + 1);
    const page = ids.slice(0, limit);
    return { items: await this.getMany(page), nextCursor: ids.length > limit ? (page[page.length - 1] ?? null) : null };
  }

  /** The calendar's version: changes with every write. */
  async version(): Promise<string> {
    return (await this.redis.get(coordinatorKeys.maintenanceVersion())) ?? '0';
  }

  /** Every window (there are at most `MAX_MAINTENANCE_WINDOWS`), with the version read before them. */
  async snapshot(): Promise<WindowSnapshot> {
    const version = await this.version();
    const ids = await this.redis.zrange(coordinatorKeys.maintenanceIndex(), 0, -1);
    return { version, windows: await this.getMany(ids) };
  }

  /** Which of `monitorIds` name a monitor that exists now, in one command. */
  async existingMonitors(monitorIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(monitorIds)];
    if (unique.length === 0) return new Set();
    const scores = await this.redis.zmscore(coordinatorKeys.monitorIndex(), ...unique);
    return new Set(unique.filter((_, index) => scores[index] !== null));
  }

  private async getMany(ids: readonly string[]): Promise<StoredMaintenanceWindow[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(coordinatorKeys.maintenanceWindow(id), 'json', 'revision', 'key');
    const found: StoredMaintenanceWindow[] = [];
    for (const [error, fields] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      const [json, revision, key] = fields as (string | null)[];
      if (typeof json !== 'string') continue;
      const settings = JSON.parse(json) as WindowSettings;
      found.push({ window: { ...settings, ...(typeof key === 'string' ? { key } : {}) }, revision: Number(revision ?? 1) });
    }
    return found;
  }

  private async save(window: MaintenanceWindow, revision: number, expectedRevision: string, maxWindows: number): Promise<SaveWindowOutcome> {
    const { key, ...settings } = window;
    const outcome = String(
      await SAVE_WINDOW.run(
        this.redis,
        [
          coordinatorKeys.maintenanceWindow(window.id),
          coordinatorKeys.maintenanceIndex(),
          coordinatorKeys.maintenanceKeys(),
          coordinatorKeys.monitorIndex(),
          coordinatorKeys.maintenanceVersion(),
        ],
        [window.id, JSON.stringify(settings), revision, expectedRevision, key ?? '', maxWindows, ...window.monitorIds],
      ),
    );
    const at = outcome.indexOf(':');
    const [kind, value] = at === -1 ? [outcome, ''] : [outcome.slice(0, at), outcome.slice(at + 1)];
    if (kind === 'key_taken') return { keyTakenBy: value };
    if (kind === 'unknown_monitors') return { unknownMonitors: value.split(',') };
    return kind as 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many';
  }
}
