import { CONTRACT_VERSION, roundIdFor, type CheckResult } from '@crosscheck/contract';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { TEST_REDIS_URL } from '../testing/test-coordinator';
import { LATE_RESULT_WINDOW_MS, RoundsRepository } from './rounds.repository';

const URL = 'https://shop.example.test/health';

function verdictOf(status: 'up' | 'down', cached = false): CheckResult['verdict'] {
  return {
    status,
    causes:
      status === 'down'
        ? [{ code: 'status_mismatch', severity: 'down', message: 'status 503 not in 200-299', evidence: { status: 503 } }]
        : cached
          ? [{ code: 'cached_response', severity: 'info', message: 'served from a cache (x-cache: HIT)', evidence: {} }]
          : [],
    expectations: [
      { kind: 'status', passed: status === 'up', description: 'status in 200-299', expected: '200-299', actual: status === 'up' ? '200' : '503' },
      { kind: 'json', passed: null, description: '$.status equals "ok"', expected: '"ok"', actual: null },
    ],
    evidence: { httpStatus: status === 'up' ? 200 : 503, finalUrl: URL, totalMs: 12.4, redirects: 0, cache: { hit: cached, signals: cached ? ['x-cache: HIT'] : [] } },
  };
}

/**
 * What a round leaves in Redis: a history entry per region (compact when a healthy result repeats
 * its region's state), a tombstone of the round for late results, and nothing after that.
 */
describe('round storage (real Redis)', () => {
  let redis: Redis;
  const monitors: string[] = [];
  const region = `t-store-${randomBytes(3).toString('hex')}`;
  const rounds = (): RoundsRepository =>
    new RoundsRepository(redis, { resultHistoryMax: 1_000, resultHistoryDays: 7 } as CoordinatorConfig, { now: () => Date.now() });

  async function newMonitor(): Promise<string> {
    const id = `mon_${randomBytes(10).toString('hex').slice(0, 20)}`;
    monitors.push(id);
    await redis.set(coordinatorKeys.monitor(id), '{}');
    return id;
  }

  function resultOf(monitorId: string, scheduledAt: number, verdict: CheckResult['verdict']): CheckResult {
    return {
      v: CONTRACT_VERSION,
      monitorId,
      roundId: roundIdFor(monitorId, scheduledAt),
      region,
      agentId: 'agent-store-1',
      agentVersion: '0.0.0-test',
      startedAt: scheduledAt + 3,
      finishedAt: scheduledAt + 16,
      verdict,
      observation: { url: URL, finalUrl: URL, timings: { total: 12.4 }, headers: { server: 'nginx', 'content-type': 'application/json' } },
    };
  }

  /** A round of one region: created, answered (unless `verdict` is null), finalized. */
  async function round(repository: RoundsRepository, monitorId: string, scheduledAt: number, verdict: CheckResult['verdict'] | null): Promise<void> {
    const roundId = roundIdFor(monitorId, scheduledAt);
    await repository.create({ roundId, monitorId, scheduledAt, deadline: scheduledAt + 10_000, regions: [region] });
    if (verdict) expect((await repository.storeResult(resultOf(monitorId, scheduledAt, verdict), scheduledAt)).kind).toBe('stored');
    expect(await repository.finalize(roundId, monitorId, verdict ? 'all_answered' : 'deadline', {})).not.toBeNull();
  }

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    for (const id of monitors) {
      const keys = await redis.keys(`${coordinatorKeys.round(id)}-*`);
      await redis.del(coordinatorKeys.monitor(id), coordinatorKeys.monitorState(id), coordinatorKeys.monitorHistory(id), ...keys);
    }
    await redis.quit();
  });

  it('stores a healthy result like the one before it compact, and every state change in full', async () => {
    const repository = rounds();
    const monitorId = await newMonitor();
    const start = Date.now() - 100_000;
    const sequence: (CheckResult['verdict'] | null)[] = [
      verdictOf('up'), // first: full
      verdictOf('up'), // same: compact
      verdictOf('down'), // change: full
      verdictOf('up'), // change: full
      verdictOf('up'), // compact
      null, // missing: full
      verdictOf('up'), // after missing: full
      verdictOf('up', true), // a cause appears: full
      verdictOf('up', true), // compact, with its cause's code
    ];
    for (const [i, verdict] of sequence.entries()) await round(repository, monitorId, start + i * 1_000, verdict);

    const entries = await redis.xrange(coordinatorKeys.monitorHistory(monitorId), '-', '+');
    expect(entries.map(([, fields]) => fields[0])).toEqual(['record', 'h', 'record', 'record', 'h', 'record', 'record', 'record', 'h']);

    const page = await repository.history(monitorId, { limit: 20 });
    const items = [...page.items].reverse();
    expect(items.map((item) => item.status)).toEqual(['up', 'up', 'down', 'up', 'up', 'missing', 'up', 'up', 'up']);
    expect(items.map((item) => item.roundId)).toEqual(sequence.map((_, i) => roundIdFor(monitorId, start + i * 1_000)));
    expect(items.map((item) => item.compact === true)).toEqual([false, true, false, false, true, false, false, false, true]);
    const full = items[0]!;
    const compact = items[1]!;
    // A compact entry has the shape of a full one, with what a healthy round tells.
    expect(compact).toMatchObject({
      region,
      monitorId,
      scheduledAt: start + 1_000,
      agentId: full.agentId,
      agentVersion: full.agentVersion,
      checkedAt: new Date(start + 1_000 + 16).toISOString(),
      startedAt: start + 1_000 + 3,
      evidence: { httpStatus: 200, finalUrl: URL, totalMs: 12, redirects: 0, cache: { hit: false, signals: [] } },
      expectationCounts: full.expectationCounts,
      causes: [],
      late: false,
    });
    expect(full.expectationCounts).toEqual({ passed: 1, failed: 0, notEvaluated: 1 });
    expect(items[8]!.causes).toEqual([{ code: 'cached_response', severity: 'info', message: '', evidence: {} }]);
    // The history's byte count covers both kinds of entry exactly.
    const bytes = entries.reduce((sum, [, fields]) => sum + Buffer.byteLength(fields[1] ?? ''), 0);
    expect(Number(await redis.hget(coordinatorKeys.monitorState(monitorId), 'history:bytes'))).toBe(bytes);
  });

  it('keeps a healthy history small: a compact entry is under a fifth of a full one', async () => {
    const repository = rounds();
    const monitorId = await newMonitor();
    const start = Date.now() - 1_000_000;
    for (let i = 0; i < 200; i++) await round(repository, monitorId, start + i * 1_000, verdictOf('up'));
    const entries = await redis.xrange(coordinatorKeys.monitorHistory(monitorId), '-', '+');
    const [first, second] = entries.map(([, fields]) => Buffer.byteLength(fields[1] ?? ''));
    expect(second! * 5).toBeLessThan(first!);
    const memory = Number(await redis.call('MEMORY', 'USAGE', coordinatorKeys.monitorHistory(monitorId), 'SAMPLES', '0'));
    expect(memory / entries.length).toBeLessThan(250);
  });

  it('leaves a finalized round a small tombstone until a minute past its deadline: a late result is stored once, flagged late', async () => {
    const repository = rounds();
    const monitorId = await newMonitor();
    const scheduledAt = Date.now() - 5_000;
    const deadline = scheduledAt + 4_000;
    const roundId = roundIdFor(monitorId, scheduledAt);
    const other = `${region}-b`;
    await repository.create({ roundId, monitorId, scheduledAt, deadline, regions: [region, other] });
    expect((await repository.storeResult({ ...resultOf(monitorId, scheduledAt, verdictOf('up')), region: other }, scheduledAt)).kind).toBe('stored');
    const summary = await repository.finalize(roundId, monitorId, 'deadline', {});
    expect(summary?.regions[region]?.status).toBe('missing');
    expect(summary?.regions[other]?.status).toBe('up');

    // No reports left on the round, and the summary waits beside it for the incident commit.
    const fields = await redis.hgetall(coordinatorKeys.round(roundId));
    expect(Object.values(fields).every((value) => value.length < 64)).toBe(true);
    expect(fields[`r:${other}`]).toBe('1');
    expect(Number(await redis.call('MEMORY', 'USAGE', coordinatorKeys.round(roundId)))).toBeLessThan(512);
    expect(JSON.parse((await redis.get(coordinatorKeys.roundSummary(roundId))) ?? 'null')).toEqual(summary);
    const expiresAt = Date.now() + (await redis.pttl(coordinatorKeys.round(roundId)));
    expect(expiresAt).toBeLessThanOrEqual(Math.max(deadline, summary!.finalizedAt) + LATE_RESULT_WINDOW_MS);
    expect(await redis.pttl(coordinatorKeys.roundSummary(roundId))).toBeGreaterThan(0);

    // Late: stored once (and in full, flagged), a duplicate of it or of an on-time one ignored.
    const late = resultOf(monitorId, scheduledAt, verdictOf('up'));
    expect(await repository.storeResult(late, scheduledAt)).toMatchObject({ kind: 'stored', late: true });
    expect((await repository.storeResult(late, scheduledAt)).kind).toBe('duplicate');
    expect((await repository.storeResult({ ...late, region: other }, scheduledAt)).kind).toBe('duplicate');
    const history = await repository.history(monitorId, { limit: 10 });
    expect(history.items.map((item) => [item.region, item.status, item.late, item.compact ?? false])).toEqual([
      [region, 'up', true, false],
      [region, 'missing', false, false],
      [other, 'up', false, false],
    ]);

    // Once the tombstone is gone, a result for the round is no longer its round's.
    await redis.del(coordinatorKeys.round(roundId));
    expect((await repository.storeResult({ ...late, region: other }, scheduledAt)).kind).toBe('unknown_round');
  });
  it("keeps the region's baseline the agent sent, replaced only by a newer round's, out of history; forgets it on request", async () => {
    const repository = rounds();
    const monitorId = await newMonitor();
    const t0 = Date.now() - 60_000;
    const baselineAt = (scheduledAt: number, rounds: number): NonNullable<CheckResult['baseline']> => ({
      v: 1,
      specHash: '0123456789abcdef',
      rounds,
      fingerprint: { mediaType: 'application/json', kind: 'json', jsonKeys: ['status'], sizeBand: 5, validators: { bodyHash: 'a1' } },
      validators: { bodyHash: { pairs: rounds - 1, changes: rounds - 1 } },
      last: { validators: { bodyHash: 'a1' }, unchangedRounds: 0, scheduledAt },
    });
    const withBaseline = (scheduledAt: number, rounds: number): CheckResult => ({
      ...resultOf(monitorId, scheduledAt, verdictOf('up')),
      observation: { ...resultOf(monitorId, scheduledAt, verdictOf('up')).observation, specHash: '0123456789abcdef', fingerprint: baselineAt(scheduledAt, rounds).fingerprint },
      baseline: baselineAt(scheduledAt, rounds),
    });
    for (const [at, learned] of [[t0 + 2_000, 2], [t0, 1]] as const) {
      const roundId = roundIdFor(monitorId, at);
      await repository.create({ roundId, monitorId, scheduledAt: at, deadline: at + 10_000, regions: [region] });
      expect((await repository.storeResult(withBaseline(at, learned), at)).kind).toBe('stored');
      await repository.finalize(roundId, monitorId, 'all_answered', {});
    }
    // The late result of the older round stored its report, not its baseline.
    const { baselines } = await repository.regionMemory(monitorId);
    expect(baselines[region]).toEqual(baselineAt(t0 + 2_000, 2));
    // History keeps the round's facts, not the fingerprint the baseline learned from.
    const history = await repository.history(monitorId, { limit: 10 });
    for (const item of history.items) {
      expect(item).not.toHaveProperty('baseline');
      expect(item.observation ?? {}).not.toHaveProperty('fingerprint');
    }
    expect(await repository.forgetBaselines(monitorId, [region])).toBe(1);
    expect((await repository.regionMemory(monitorId)).baselines).toEqual({});
  });
});
