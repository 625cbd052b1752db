import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys, MONITOR_TOMBSTONE_TTL_MS } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { SecretBox } from '../secrets/secret-box';
import type { Monitor, PresentedMonitor, StoredMonitor } from './monitor';
import { needsSealing, openMonitor, presentStored, sealMonitor, storedView, type StoredMonitorDocument } from './monitor-secrets';

/**
 * Writes a monitor and keeps the region registry in step, atomically: the regions it names are
 * registered (managed by monitors, unless an operator created them), within the registry's cap; a
 * region it stops naming leaves the registry with its last monitor, unless an operator keeps it.
 * A create with a key claims it in the key index, unless another monitor has it; an update never
 * touches the key (it cannot change).
 * KEYS: monitor hash, monitor index, regions set, key index.
 * ARGV: id, json, new revision, expected revision ('' = create), regions (comma-separated),
 *   key prefix of region keys, max regions, now (ms), key ('' = none; create only).
 * Returns 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many_regions' | 'key_taken:<owner id>'.
 */
const SAVE_MONITOR = new LuaScript(
  'save-monitor',
  4,
  `
local current = redis.call('HGET', KEYS[1], 'revision')
if ARGV[4] == '' then
  if current then return 'exists' end
  if ARGV[9] ~= '' then
    local owner = redis.call('HGET', KEYS[4], ARGV[9])
    if owner then return 'key_taken:' .. owner end
  end
else
  if not current then return 'missing' end
  if current ~= ARGV[4] then return 'conflict' end
end
local function split(csv)
  local set = {}
  if csv then for region in string.gmatch(csv, '[^,]+') do set[region] = true end end
  return set
end
local old = split(redis.call('HGET', KEYS[1], 'regions'))
local new = split(ARGV[5])
local unregistered = 0
for region in pairs(new) do
  if redis.call('SISMEMBER', KEYS[3], region) == 0 then unregistered = unregistered + 1 end
end
if unregistered > 0 and redis.call('SCARD', KEYS[3]) + unregistered > tonumber(ARGV[7]) then return 'too_many_regions' end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'revision', ARGV[3], 'regions', ARGV[5])
if ARGV[4] == '' and ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'key', ARGV[9])
  redis.call('HSET', KEYS[4], ARGV[9], ARGV[1])
end
redis.call('ZADD', KEYS[2], 0, ARGV[1])
for region in pairs(new) do
  redis.call('SADD', ARGV[6] .. region .. ':monitors', ARGV[1])
  redis.call('SADD', KEYS[3], region)
  local record = ARGV[6] .. region
  redis.call('HSETNX', record, 'name', region)
  redis.call('HSETNX', record, 'managedBy', 'monitors')
  redis.call('HSETNX', record, 'createdAt', ARGV[8])
end
for region in pairs(old) do
  if not new[region] then
    local key = ARGV[6] .. region .. ':monitors'
    redis.call('SREM', key, ARGV[1])
    if redis.call('SCARD', key) == 0 and redis.call('HGET', ARGV[6] .. region, 'managedBy') ~= 'operator' then
      redis.call('SREM', KEYS[3], region)
      redis.call('DEL', ARGV[6] .. region)
    end
  end
end
return 'ok'
`,
);

/**
 * Deletes a monitor from the catalog, leaves the region registry without it (as saving does) and
 * records the deletion, so that what depends on the monitor (its state and history, schedule,
 * waiting checks, open incident) is finished even if this coordinator dies right after.
 * Its key, if any, is free again. With revisions to match (If-Match), only when it is at one of them.
 * KEYS: monitor hash, monitor index, regions set, deleted monitors hash, key index.
 * ARGV: id, key prefix of region keys, deletedAt (ms), revisions it must be at (',3,4,';
 *   '' = any). Returns {'deleted', regions (comma-separated)}, {'stale', current revision}, or
 *   {'missing', ''}.
 */
const DELETE_MONITOR = new LuaScript(
  'delete-monitor',
  5,
  `
local found = redis.call('HMGET', KEYS[1], 'regions', 'revision', 'key')
local regions = found[1]
if not regions then return {'missing', ''} end
if ARGV[4] ~= '' and not string.find(ARGV[4], ',' .. found[2] .. ',', 1, true) then return {'stale', found[2]} end
if found[3] then redis.call('HDEL', KEYS[5], found[3]) end
local names = {}
for region in string.gmatch(regions, '[^,]+') do
  names[#names + 1] = region
  local key = ARGV[2] .. region .. ':monitors'
  redis.call('SREM', key, ARGV[1])
  if redis.call('SCARD', key) == 0 and redis.call('HGET', ARGV[2] .. region, 'managedBy') ~= 'operator' then
    redis.call('SREM', KEYS[3], region)
    redis.call('DEL', ARGV[2] .. region)
  end
end
redis.call('HSET', KEYS[4], ARGV[1], cjson.encode({deletedAt = tonumber(ARGV[3]), regions = names}))
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return {'deleted', regions}
`,
);

/**
 * The state side of a deletion, in the monitor's state shard. KEYS: tombstone, state hash, history
 * stream. ARGV: the tombstone's lifetime ms.
 */
const PURGE_STATE = new LuaScript(
  'purge-monitor-state',
  3,
  `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
`,
);

/** What saving a monitor came to. */
export type SaveOutcome = 'ok' | 'exists' | 'missing' | 'conflict' | 'too_many_regions';

/** What creating a monitor came to: as saving, or its key is another monitor's. */
export type CreateOutcome = SaveOutcome | { keyTakenBy: string };

/** What deleting a monitor came to. */
export type DeleteOutcome =
  | { outcome: 'deleted'; /** The regions it checked from. */ regions: string[] }
  | { outcome: 'missing' }
  | { outcome: 'stale'; /** The revision it is at (it was not deleted). */ revision: number };

/** A deleted monitor whose cleanup is not finished (`cc:{c}:monitors:deleted`). */
export interface DeletedMonitor {
  monitorId: string;
  /** Epoch ms. */
  deletedAt: number;
  /** The regions it checked from. */
  regions: string[];
}

/** What a save needs to register the monitor's regions: the registry's cap, and the time to stamp new ones with. */
export interface RegistryLimits {
  maxRegions: number;
  /** Epoch ms. */
  now: number;
}

/** What re-sealing a monitor came to (see {@link MonitorsRepository.reseal}). */
export type ResealOutcome = 'resealed' | 'current' | 'missing' | 'conflict';

/** One page of monitors, in creation order. */
export interface MonitorPage {
  /** As the API shows them: secrets redacted, never opened. */
  items: PresentedMonitor[];
  /** Pass as `cursor` to get the next page; `null` on the last page. */
  nextCursor: string | null;
}

/**
 * Monitors in Redis: hash `cc:{c}:monitor:<id>` (`json`, `revision`, `regions`, `key`), listed by the
 * sorted set `cc:{c}:monitors`, their keys in `cc:{c}:monitor-keys` (key → id), and their part of the region registry: `cc:{c}:regions`,
 * `cc:{c}:region:<r>` and `cc:{c}:region:<r>:monitors`. Every write is one Lua script, so the registry
 * never disagrees with the monitors. Secrets (URL userinfo, credential header values) are stored
 * sealed (`monitor-secrets.ts`): `get` opens them, `list` and `all` never do.
 */
@Injectable()
export class MonitorsRepository {
  private readonly regionSetPrefix = coordinatorKeys.regionMonitorsPrefix();

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  /**
   * Stores a new monitor; `exists` when the id is taken, `too_many_regions` when its new regions do
   * not fit the registry, `keyTakenBy` when its key is another monitor's (checked in the same script).
   */
  async create(monitor: Monitor, registry: RegistryLimits): Promise<CreateOutcome> {
    const outcome = await this.save(monitor, 1, '', registry);
    return outcome.startsWith('key_taken:') ? { keyTakenBy: outcome.slice('key_taken:'.length) } : (outcome as SaveOutcome);
  }

  /** Replaces a monitor if it is still at `expectedRevision` (optimistic concurrency). */
  async update(monitor: Monitor, expectedRevision: number, registry: RegistryLimits): Promise<SaveOutcome> {
    return (await this.save(monitor, expectedRevision + 1, String(expectedRevision), registry)) as SaveOutcome;
  }

  /**
   * Deletes a monitor from the catalog and records the deletion for the cleanup of what depends on
   * it (its state and history among them: `purgeState`) ({@link deletedMonitors}); its key is free
   * again. With `revisions` (If-Match), only if it is at one of them, checked in the same script.
   */
  async delete(monitorId: string, deletedAt: number, revisions: readonly number[] | null = null): Promise<DeleteOutcome> {
    const [outcome, value] = (await DELETE_MONITOR.run(
      this.redis,
      [
        coordinatorKeys.monitor(monitorId),
        coordinatorKeys.monitorIndex(),
        coordinatorKeys.regions(),
        coordinatorKeys.deletedMonitors(),
        coordinatorKeys.monitorKeys(),
      ],
      [monitorId, this.regionSetPrefix, deletedAt, revisions === null ? '' : `,${revisions.join(',')},`],
    )) as [DeleteOutcome['outcome'], string];
    if (outcome === 'deleted') return { outcome, regions: value.split(',') };
    if (outcome === 'stale') return { outcome, revision: Number(value) };
    return { outcome: 'missing' };
  }

  /** The id of the monitor created with `key`; `null` when no monitor has it. */
  async idOfKey(key: string): Promise<string | null> {
    return this.redis.hget(coordinatorKeys.monitorKeys(), key);
  }

  /**
   * Whether the registry has room for the regions of `regions` it lacks (what saving checks, read
   * without writing: for a dry run, so only as of now).
   */
  async registryFits(regions: readonly string[], maxRegions: number): Promise<boolean> {
    if (regions.length === 0) return true;
    const [present, size] = await Promise.all([this.redis.smismember(coordinatorKeys.regions(), ...regions), this.redis.scard(coordinatorKeys.regions())]);
    const missing = present.filter((member) => member !== 1).length;
    return missing === 0 || size + missing <= maxRegions;
  }

  /**
   * Leaves a deleted monitor's tombstone in its state shard (no round or result of it is stored from
   * then on), then drops its latest state and its history. Idempotent.
   */
  async purgeState(monitorId: string): Promise<void> {
    await PURGE_STATE.run(
      this.redis,
      [coordinatorKeys.monitorGone(monitorId), coordinatorKeys.monitorState(monitorId), coordinatorKeys.monitorHistory(monitorId)],
      [MONITOR_TOMBSTONE_TTL_MS],
    );
  }

  /** Deleted monitors whose cleanup is not finished. */
  async deletedMonitors(): Promise<DeletedMonitor[]> {
    const entries = await this.redis.hgetall(coordinatorKeys.deletedMonitors());
    return Object.entries(entries).map(([monitorId, json]) => {
      const { deletedAt, regions } = JSON.parse(json) as { deletedAt: number; regions: string[] | Record<string, never> };
      return { monitorId, deletedAt, regions: Array.isArray(regions) ? regions : [] };
    });
  }

  /** The cleanup of a deleted monitor is done: forget the deletion. */
  async forgetDeleted(monitorId: string): Promise<void> {
    await this.redis.hdel(coordinatorKeys.deletedMonitors(), monitorId);
  }

  /** The monitor with its secrets opened (for probing and updating); throws `SecretOpenError` when one cannot be. */
  async get(monitorId: string): Promise<StoredMonitor | null> {
    const stored = await this.read(monitorId);
    return stored && { monitor: openMonitor(stored.document, this.box), revision: stored.revision };
  }

  /**
   * Writes the monitor again if a secret of it is sealed under a previous key or still in clear
   * (key rotation, and monitors stored before secrets were sealed); `conflict` when it changed
   * meanwhile (read again and retry). Neither `updatedAt` nor anything else changes.
   */
  async reseal(monitorId: string, now: number): Promise<ResealOutcome> {
    const stored = await this.read(monitorId);
    if (!stored) return 'missing';
    if (!needsSealing(stored.document, this.box)) return 'current';
    // Its regions are registered already: re-sealing never needs room in the registry.
    const outcome = await this.update(openMonitor(stored.document, this.box), stored.revision, { maxRegions: Number.MAX_SAFE_INTEGER, now });
    return outcome === 'ok' ? 'resealed' : outcome === 'conflict' ? 'conflict' : 'missing';
  }

  /** Monitors after `cursor` (a monitor id), at most `limit`. */
  async list(limit: number, cursor?: string): Promise<MonitorPage> {
    const page = await this.documents(limit, cursor);
    return { items: page.documents.map((stored) => presentStored(stored.document, stored.revision)), nextCursor: page.nextCursor };
  }

  /** Ids of the monitors {@link reseal} would write again, page by page (documents read, never opened). */
  async *needingReseal(pageSize = 500): AsyncGenerator<string> {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.documents(pageSize, cursor);
      for (const { document } of page.documents) if (needsSealing(document, this.box)) yield document.id;
      if (page.nextCursor === null) return;
      cursor = page.nextCursor;
    }
  }

  /** Every monitor, page by page (for reconciling schedules at boot). */
  async *all(pageSize = 500): AsyncGenerator<Monitor> {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.documents(pageSize, cursor);
      for (const { document } of page.documents) yield storedView(document);
      if (page.nextCursor === null) return;
      cursor = page.nextCursor;
    }
  }

  /** Regions at least one monitor checks from (the registry's regions, less those no monitor uses). */
  async knownRegions(): Promise<string[]> {
    const regions = (await this.redis.smembers(coordinatorKeys.regions())).sort();
    if (regions.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const region of regions) pipeline.scard(coordinatorKeys.regionMonitors(region));
    const replies = (await pipeline.exec()) ?? [];
    return regions.filter((_, index) => {
      const [error, count] = replies[index] ?? [null, 0];
      if (error) throw error;
      return Number(count) > 0;
    });
  }

  private async documents(limit: number, cursor?: string): Promise<{ documents: StoredDocument[]; nextCursor: string | null }> {
    const ids = await this.redis.zrangebylex(coordinatorKeys.monitorIndex(), cursor ? `(${cursor}` : '-', '+', 'LIMIT', 0, limit + 1);
    const pageIds = ids.slice(0, limit);
    const documents: StoredDocument[] = [];
    if (pageIds.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const id of pageIds) pipeline.hmget(coordinatorKeys.monitor(id), 'json', 'revision');
      const replies = (await pipeline.exec()) ?? [];
      for (const [error, fields] of replies) {
        if (error) throw error;
        const [json, revision] = fields as (string | null)[];
        // A monitor deleted between the two reads is simply not listed.
        if (typeof json === 'string') documents.push({ document: JSON.parse(json) as StoredMonitorDocument, revision: Number(revision ?? 1) });
      }
    }
    return { documents, nextCursor: ids.length > limit ? (pageIds[pageIds.length - 1] ?? null) : null };
  }

  /** The monitor as the API shows it (secrets redacted, never opened); `null` when there is none. */
  async present(monitorId: string): Promise<PresentedMonitor | null> {
    const stored = await this.read(monitorId);
    return stored && presentStored(stored.document, stored.revision);
  }

  private async read(monitorId: string): Promise<StoredDocument | null> {
    const [json, revision] = await this.redis.hmget(coordinatorKeys.monitor(monitorId), 'json', 'revision');
    if (typeof json !== 'string' || typeof revision !== 'string') return null;
    return { document: JSON.parse(json) as StoredMonitorDocument, revision: Number(revision) };
  }

  private async save(monitor: Monitor, revision: number, expectedRevision: string, registry: RegistryLimits): Promise<string> {
    const outcome = await SAVE_MONITOR.run(
      this.redis,
      [coordinatorKeys.monitor(monitor.id), coordinatorKeys.monitorIndex(), coordinatorKeys.regions(), coordinatorKeys.monitorKeys()],
      [
        monitor.id,
        JSON.stringify(sealMonitor(monitor, this.box)),
        revision,
        expectedRevision,
        monitor.regions.join(','),
        this.regionSetPrefix,
        registry.maxRegions,
        registry.now,
        monitor.key ?? '',
      ],
    );
    return String(outcome);
  }
}

/** A monitor's document as stored, with its revision. */
interface StoredDocument {
  document: StoredMonitorDocument;
  revision: number;
}
