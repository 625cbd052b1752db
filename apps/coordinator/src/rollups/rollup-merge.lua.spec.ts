import { CLASSIFICATIONS } from '@crosscheck/checks';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLLUP_SETTINGS } from '../config/coordinator-config';
import { newMonitorId } from '../monitors/monitor-id';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import type { RegionReport } from '../results/round';
import { TEST_REDIS_URL } from '../testing/test-coordinator';
import { addBucket, emptyBucket, type TimedBucket } from './rollup-bucket';
import { ROLLUP_LUA, rollupDeltaArg, rollupTierArgs, rollupTiersLua } from './rollup-merge.lua';
import { bucketStart, chunkNumber, retentionOf, TIER_ORDER, type RollupTier } from './rollup-tiers';
import { RollupsRepository } from './rollups.repository';
import { roundRollup, type RoundRollupInput } from './round-rollup';

/** The commit script's rollup step alone, as COMMIT_TRANSITION runs it. */
const ROUND = new LuaScript(
  'rollup-round-spec',
  1,
  `${ROLLUP_LUA}
${rollupTiersLua}
rollupRound(KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3], rollupTiers(4))
return 1`,
);

const SETTINGS = DEFAULT_ROLLUP_SETTINGS;
// From now on: a chunk whose retention ended before now is deleted as it is written.
const T0 = Date.now() + 17_003;

const regionReport = fc.oneof(
  fc.constant<RegionReport>({ status: 'missing', causes: [], evidence: null, agentId: null, agentVersion: null, checkedAt: null }),
  fc.record({ status: fc.constantFrom('up' as const, 'degraded' as const, 'down' as const), totalMs: fc.integer({ min: 0, max: 200_000 }) }).map(
    ({ status, totalMs }): RegionReport => ({
      status,
      causes: [],
      evidence: { httpStatus: 200, finalUrl: 'https://x.test/', totalMs, redirects: 0, cache: { hit: false, signals: [] } },
      agentId: 'a',
      agentVersion: null,
      checkedAt: null,
    }),
  ),
);

/** Rounds of a monitor over hours to weeks: gaps from a second to 3 days, regions coming and going. */
const rounds = fc.array(
  fc.record({
    gapMs: fc.oneof(fc.integer({ min: 1_000, max: 90_000 }), fc.integer({ min: 1_000, max: 3 * 86_400_000 })),
    classification: fc.constantFrom(...CLASSIFICATIONS),
    intervalSeconds: fc.constantFrom(10, 30, 60, 86_400),
    incidentOpen: fc.boolean(),
    regions: fc.dictionary(fc.constantFrom('eu-west', 'us-east', 'ap-south', 'a1'), regionReport, { minKeys: 0, maxKeys: 4 }),
  }),
  { minLength: 1, maxLength: 60 },
);

describe('the commit script merges rollups as the reader adds them', () => {
  let redis: Redis;
  let repository: RollupsRepository;

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    repository = new RollupsRepository(redis, { rollups: SETTINGS });
  });

  afterAll(async () => {
    await redis.quit();
  });

  async function apply(monitorId: string, at: number, input: RoundRollupInput): Promise<void> {
    await ROUND.run(redis, [coordinatorKeys.rollupOpen(monitorId)], [coordinatorKeys.rollupPrefix(monitorId), at, rollupDeltaArg(roundRollup(input), SETTINGS), ...rollupTierArgs(SETTINGS)]);
  }

  async function rollupKeys(monitorId: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${coordinatorKeys.rollupOpen(monitorId)}*`, 'COUNT', 1_000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  function expected(tier: RollupTier, applied: { at: number; input: RoundRollupInput }[]): TimedBucket[] {
    const byStart = new Map<number, TimedBucket>();
    for (const { at, input } of applied) {
      const start = bucketStart(tier, at);
      const timed = byStart.get(start) ?? { start, bucket: emptyBucket() };
      addBucket(timed.bucket, roundRollup(input));
      byStart.set(start, timed);
    }
    return [...byStart.values()];
  }

  it('every tier holds the sum of its rounds, bucket by bucket, open and closed alike', async () => {
    await fc.assert(
      fc.asyncProperty(rounds, async (generated) => {
        const monitorId = newMonitorId(Date.now());
        let at = T0;
        const applied = generated.map(({ gapMs, ...input }) => ({ at: (at += gapMs), input }));
        for (const { at: time, input } of applied) await apply(monitorId, time, input);
        for (const tier of TIER_ORDER) {
          const read = await repository.buckets(monitorId, tier, bucketStart(tier, T0), at + tier.bucketMs);
          expect(read).toEqual(expected(tier, applied));
        }
        // Each chunk lives until its end plus its tier's retention.
        const minutes = TIER_ORDER[0]!;
        const chunk = chunkNumber(minutes, applied[0]!.at);
        const key = coordinatorKeys.rollupChunk(monitorId, minutes.field, chunk);
        if ((await redis.exists(key)) === 1) expect(await redis.pexpiretime(key)).toBe((chunk + 1) * minutes.chunkMs + retentionOf(minutes, SETTINGS));
        // The open hash, a day retention past its latest minute.
        const day = TIER_ORDER[2]!;
        expect(await redis.pexpiretime(coordinatorKeys.rollupOpen(monitorId))).toBe(bucketStart(minutes, at) + day.bucketMs + retentionOf(day, SETTINGS));

        // Deleted at the time of the last round: what is left would have expired by then (the
        // rounds' times are ahead of Redis's clock here).
        expect(await repository.purge(monitorId, at)).toBeGreaterThan(0);
        for (const left of await rollupKeys(monitorId)) {
          expect(await redis.pexpiretime(left), left).toBeLessThanOrEqual(at);
          await redis.del(left);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('leaves out a round before the open bucket (ordered commits never apply one)', async () => {
    const monitorId = newMonitorId(Date.now());
    const input: RoundRollupInput = { regions: {}, classification: 'operational', intervalSeconds: 30, incidentOpen: false };
    await apply(monitorId, T0, input);
    await apply(monitorId, T0 - 3_600_000, { ...input, classification: 'outage' });
    const read = await repository.buckets(monitorId, TIER_ORDER[0]!, T0 - 86_400_000, T0 + 60_000);
    expect(read.map((b) => [b.start, b.bucket.rounds, b.bucket.classifications.outage.rounds])).toEqual([[bucketStart(TIER_ORDER[0]!, T0), 1, 0]]);
    await repository.purge(monitorId, T0);
  });

  it('writes nothing when rollups are off', async () => {
    expect(rollupDeltaArg(roundRollup({ regions: {}, classification: 'operational', intervalSeconds: 30, incidentOpen: false }), { ...SETTINGS, enabled: false })).toBe('');
  });
});
