import { Inject, Injectable } from '@nestjs/common';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';

/**
 * New credentials for a registered region. KEYS: region hash, regions set, region credentials hash.
 * ARGV: name, SHA-256 of the new password, createdAt ms. An operator issuing credentials keeps the
 * region from then on (as `POST /v1/regions` does), so its agents' user does not go with the last
 * monitor naming it. Returns 'rotated' | 'missing'.
 */
const ROTATE_CREDENTIALS = new LuaScript(
  'rotate-region-credentials',
  3,
  `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then return 'missing' end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'managedBy', 'operator')
redis.call('HSETNX', KEYS[1], 'createdAt', ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return 'rotated'
`,
);

/**
 * Forgets the credentials of a region that left the registry, unless it came back meanwhile.
 * KEYS: regions set, region credentials hash. ARGV: name, the hash read. Returns 1 when forgotten.
 */
const FORGET_ORPHAN = new LuaScript(
  'forget-region-credentials',
  2,
  `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[2], ARGV[1])
`,
);

/**
 * The credentials the coordinator issued to regions' agents, as the catalog keeps them: the SHA-256
 * of each password only (`cc:{c}:region-acl`), which is all `ACL SETUSER ... #<sha256>` needs to
 * re-create a user on a Redis node that lost it. Issued with a region (`RegionsRepository.create`),
 * forgotten with it (`RegionsRepository.delete`).
 */
@Injectable()
export class RegionCredentialsRepository {
  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** Records a region's new password hash; `missing` when the region is not registered. */
  async rotate(name: string, passwordHash: string, now: number): Promise<'rotated' | 'missing'> {
    return (await ROTATE_CREDENTIALS.run(
      this.redis,
      [coordinatorKeys.region(name), coordinatorKeys.regions(), coordinatorKeys.regionCredentials()],
      [name, passwordHash, now],
    )) as 'rotated' | 'missing';
  }

  /** Every region with issued credentials → its password's SHA-256, with whether the registry still holds it. */
  async all(): Promise<{ region: string; passwordHash: string; registered: boolean }[]> {
    const hashes = await this.redis.hgetall(coordinatorKeys.regionCredentials());
    const regions = Object.keys(hashes).sort();
    if (regions.length === 0) return [];
    const registered = await this.redis.smismember(coordinatorKeys.regions(), ...regions);
    return regions.map((region, index) => ({ region, passwordHash: hashes[region]!, registered: registered[index] === 1 }));
  }

  /** The password hash of one region's agents, or `null`. */
  async passwordHash(region: string): Promise<string | null> {
    return this.redis.hget(coordinatorKeys.regionCredentials(), region);
  }

  /** Forgets `region`'s credentials if it is still out of the registry with the same hash; whether it did. */
  async forgetOrphan(region: string, passwordHash: string): Promise<boolean> {
    return (await FORGET_ORPHAN.run(this.redis, [coordinatorKeys.regions(), coordinatorKeys.regionCredentials()], [region, passwordHash])) === 1;
  }
}
