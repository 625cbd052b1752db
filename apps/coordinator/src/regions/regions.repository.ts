import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { RegionManager, RegionRecord } from './region';

/**
 * An operator registers a region. KEYS: region hash, regions set, region credentials hash. ARGV:
 * name, createdAt ms, max regions, SHA-256 of its agents' new password (or '' for none).
 * A region the monitors brought is kept by the operator from now on (`adopted`); beyond the cap, `full`.
 * The password's hash is recorded with the region, in the same step, so that no region the API
 * answered with credentials lacks them in the catalog. Returns 'created' | 'adopted' | 'exists' | 'full'.
 */
const CREATE_REGION = new LuaScript(
  'create-region',
  3,
  `
local managed = redis.call('HGET', KEYS[1], 'managedBy')
if managed == 'operator' then return 'exists' end
local outcome = 'created'
if managed or redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'name', ARGV[1], 'managedBy', 'operator')
  redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[2])
  outcome = 'adopted'
else
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 'full' end
  redis.call('HSET', KEYS[1], 'name', ARGV[1], 'managedBy', 'operator', 'createdAt', ARGV[2])
end
redis.call('SADD', KEYS[2], ARGV[1])
-- Without new credentials, any left from an earlier life of the name are not this region's.
if ARGV[4] ~= '' then redis.call('HSET', KEYS[3], ARGV[1], ARGV[4]) else redis.call('HDEL', KEYS[3], ARGV[1]) end
return outcome
`,
);

/**
 * An operator removes a region no monitor uses. KEYS: region hash, regions set, region monitors
 * set, region credentials hash. ARGV: name. Returns {outcome, monitors, the SHA-256 of its agents'
 * password or ''}: 'deleted' | 'missing' | 'in_use'. The credentials stay in the catalog until their
 * ACL user is gone from every node (`RegionCredentials.revoke`, else the ACL reconcile).
 */
const DELETE_REGION = new LuaScript(
  'delete-region',
  4,
  `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return {'missing', 0, 0} end
local monitors = redis.call('SCARD', KEYS[3])
if monitors > 0 then return {'in_use', monitors, 0} end
redis.call('DEL', KEYS[1], KEYS[3])
redis.call('SREM', KEYS[2], ARGV[1])
return {'deleted', 0, redis.call('HGET', KEYS[4], ARGV[1]) or ''}
`,
);

/** What an operator's create came to. */
export type CreateRegionOutcome = 'created' | 'adopted' | 'exists' | 'full';
/** What an operator's delete came to (`monitorCount`: the monitors using it, when `in_use`; `passwordHash`: its agents' credentials, when issued). */
export type DeleteRegionOutcome = { outcome: 'missing' } | { outcome: 'deleted'; passwordHash: string | null } | { outcome: 'in_use'; monitorCount: number };

/**
 * The region registry in Redis: the set `cc:{c}:regions`, a hash per region `cc:{c}:region:<r>`
 * (`name`, `managedBy`, `createdAt`), the monitors of each, `cc:{c}:region:<r>:monitors`, and the
 * SHA-256 of each region's agents' password, `cc:{c}:region-acl` (`RegionCredentialsRepository`). Monitors
 * register and unregister the regions they name in the same script that saves or deletes them
 * (`MonitorsRepository`), under the same cap; operators through this repository.
 */
@Injectable()
export class RegionsRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** `passwordHash`: the SHA-256 (hex) of its agents' password, recorded with it (created or adopted); `null` for none. */
  async create(name: string, createdAt: number, maxRegions: number, passwordHash: string | null = null): Promise<CreateRegionOutcome> {
    return (await CREATE_REGION.run(
      this.redis,
      [coordinatorKeys.region(name), coordinatorKeys.regions(), coordinatorKeys.regionCredentials()],
      [name, createdAt, maxRegions, passwordHash ?? ''],
    )) as CreateRegionOutcome;
  }

  async delete(name: string): Promise<DeleteRegionOutcome> {
    const [outcome, monitors, passwordHash] = (await DELETE_REGION.run(
      this.redis,
      [coordinatorKeys.region(name), coordinatorKeys.regions(), coordinatorKeys.regionMonitors(name), coordinatorKeys.regionCredentials()],
      [name],
    )) as [DeleteRegionOutcome['outcome'], number, string];
    if (outcome === 'in_use') return { outcome, monitorCount: monitors };
    if (outcome === 'deleted') return { outcome, passwordHash: passwordHash === '' ? null : passwordHash };
    return { outcome };
  }

  /** Names of every region of the registry, sorted. */
  async names(): Promise<string[]> {
    return (await this.redis.smembers(coordinatorKeys.regions())).sort();
  }

  /** Those of `names` the registry does not hold. */
  async unregistered(names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const present = await this.redis.smismember(coordinatorKeys.regions(), ...names);
    return names.filter((_, index) => present[index] !== 1);
  }

  async get(name: string): Promise<RegionRecord | null> {
    const [record] = await this.read([name]);
    return record ?? null;
  }

  /** Every region of the registry, sorted by name. */
  async list(): Promise<RegionRecord[]> {
    return this.read(await this.names());
  }

  /** The records of those of `names` that are registered. */
  private async read(names: readonly string[]): Promise<RegionRecord[]> {
    if (names.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const name of names) {
      pipeline.sismember(coordinatorKeys.regions(), name);
      pipeline.hgetall(coordinatorKeys.region(name));
      pipeline.scard(coordinatorKeys.regionMonitors(name));
    }
    const replies = (await pipeline.exec()) ?? [];
    const records: RegionRecord[] = [];
    names.forEach((name, index) => {
      const [member, fields, monitors] = [0, 1, 2].map((offset) => {
        const [error, reply] = replies[index * 3 + offset] ?? [null, null];
        if (error) throw error;
        return reply;
      });
      if (member !== 1) return;
      const hash = (fields ?? {}) as Record<string, string>;
      const createdAt = Number(hash['createdAt']);
      records.push({
        name,
        // Regions registered before the registry had records were the monitors'.
        managedBy: (hash['managedBy'] === 'operator' ? 'operator' : 'monitors') satisfies RegionManager,
        createdAt: Number.isFinite(createdAt) && createdAt > 0 ? new Date(createdAt).toISOString() : null,
        monitorCount: Number(monitors ?? 0),
      });
    });
    return records;
  }
}
