import { compileMonitorSpec, evaluate, worstAllowedSpecInput, type Observation } from '@crosscheck/checks';
import { CONTRACT_VERSION, type CheckResult } from '@crosscheck/contract';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESULT_HISTORY_MAX_BYTES, type CoordinatorConfig } from '../config/coordinator-config';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { TEST_REDIS_URL } from '../testing/test-coordinator';
import type { ResultRecord } from './round';
import { RoundsRepository } from './rounds.repository';

const KiB = 1024;
const URL = 'https://shop.example.test/health';

function observation(): Observation {
  const body = '<html><body><h1>Service temporarily unavailable</h1></body></html>';
  return {
    url: URL,
    method: 'GET',
    finalUrl: URL,
    redirects: [],
    remoteAddress: '127.0.0.2',
    response: { status: 503, headers: { 'content-type': 'text/html', server: 'nginx' }, body, bodyBytes: body.length, bodyTruncated: false, httpVersion: '1.1' },
    timings: { dns: 1, connect: 1, tls: 2, firstByte: 10, total: 12 },
    startedAt: Date.now(),
    bodyCapBytes: 1024 * 1024,
  };
}

function resultOf(monitorId: string, roundId: string, region: string, verdict: CheckResult['verdict']): CheckResult {
  return {
    v: CONTRACT_VERSION,
    monitorId,
    roundId,
    region,
    agentId: 'agent-budget',
    agentVersion: '0.0.0-test',
    startedAt: Date.now() - 12,
    finishedAt: Date.now(),
    verdict,
    observation: { url: URL, finalUrl: URL, timings: { total: 12 }, headers: { server: 'nginx', 'content-type': 'text/html' } },
  };
}

/**
 * Results are bounded in bytes: a stored result keeps the verdict, its causes and evidence and the
 * failed expectations, cut to size; a monitor's history is bounded in bytes besides count and age.
 * (A 1.3 MB spec stored ~21 MB per result, and a few rounds filled a `noeviction` Redis.)
 */
describe('results bounded by bytes (real Redis)', () => {
  let redis: Redis;
  const monitors: string[] = [];
  const region = `t-budget-${randomBytes(3).toString('hex')}`;

  function repository(overrides: Partial<CoordinatorConfig> = {}): RoundsRepository {
    const config = { resultHistoryMax: 1_000, resultHistoryDays: 7, ...overrides } as CoordinatorConfig;
    return new RoundsRepository(redis, config, { now: () => Date.now() });
  }

  async function newMonitor(): Promise<string> {
    const id = `mon_${randomBytes(10).toString('hex').slice(0, 20)}`;
    monitors.push(id);
    await redis.set(coordinatorKeys.monitor(id), '{}');
    return id;
  }

  async function storeRound(rounds: RoundsRepository, monitorId: string, scheduledAt: number, verdict: CheckResult['verdict']): Promise<void> {
    const roundId = `${monitorId}-${scheduledAt}`;
    await rounds.create({ roundId, monitorId, scheduledAt, deadline: scheduledAt + 60_000, regions: [region] });
    const outcome = await rounds.storeResult(resultOf(monitorId, roundId, region, verdict), scheduledAt);
    expect(outcome.kind).toBe('stored');
  }

  async function memoryOf(key: string): Promise<number> {
    return Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  }

  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    for (const id of monitors) {
      const rounds = await redis.keys(`${coordinatorKeys.round(id)}-*`);
      await redis.del(coordinatorKeys.monitor(id), coordinatorKeys.monitorState(id), coordinatorKeys.monitorHistory(id), ...rounds);
    }
    await redis.quit();
  });

  it('stores a result of the worst spec the caps allow in at most 16 KiB', async () => {
    const verdict = evaluate(compileMonitorSpec(worstAllowedSpecInput(URL)), observation());
    expect(verdict.expectations.filter((e) => e.passed === false).length).toBeGreaterThanOrEqual(64);
    const monitorId = await newMonitor();
    const scheduledAt = Date.now();
    await storeRound(repository(), monitorId, scheduledAt, verdict);

    const [[, fields]] = (await redis.xrange(coordinatorKeys.monitorHistory(monitorId), '-', '+')) as [string, string[]][] as [[string, string[]]];
    const record = fields[fields.indexOf('record') + 1] ?? '';
    expect(Buffer.byteLength(record)).toBeLessThanOrEqual(16 * KiB);
    expect(await redis.hstrlen(coordinatorKeys.round(`${monitorId}-${scheduledAt}`), `r:${region}`)).toBeLessThanOrEqual(16 * KiB);
    expect(await memoryOf(coordinatorKeys.monitorHistory(monitorId))).toBeLessThanOrEqual(20 * KiB);

    const stored = JSON.parse(record) as ResultRecord & { truncated?: boolean };
    // What matters survives: the verdict, every cause code, the failed expectations (cut to size).
    expect(stored.status).toBe('down');
    expect(new Set(stored.causes.map((cause) => cause.code))).toEqual(new Set(verdict.causes.map((cause) => cause.code)));
    expect(stored.expectations?.length).toBeGreaterThan(0);
    expect(stored.expectations?.every((e) => e.passed === false && e.description.length <= 256)).toBe(true);
    const failed = verdict.expectations.filter((e) => e.passed === false).length;
    expect(stored.expectationCounts).toEqual({ passed: verdict.expectations.length - failed - stored.expectationCounts!.notEvaluated, failed, notEvaluated: stored.expectationCounts!.notEvaluated });
    // Over 16 KiB as usually compacted, so cut harder and marked.
    expect(stored.truncated).toBe(true);
  });

  it('keeps a monitor history under RESULT_HISTORY_MAX_BYTES over many rounds, oldest trimmed first', async () => {
    const verdict = evaluate(compileMonitorSpec(worstAllowedSpecInput(URL)), observation());
    const maxBytes = 64 * KiB;
    const rounds = repository({ resultHistoryMaxBytes: maxBytes } as Partial<CoordinatorConfig>);
    const monitorId = await newMonitor();
    const start = Date.now() - 200_000;
    for (let i = 0; i < 40; i++) await storeRound(rounds, monitorId, start + i * 1_000, verdict);

    const key = coordinatorKeys.monitorHistory(monitorId);
    const memory = await memoryOf(key);
    // The cap counts the records' JSON; the stream's own nodes and allocator rounding come on top.
    expect(memory).toBeLessThanOrEqual(maxBytes * 1.5);
    const entries = await redis.xrange(key, '-', '+');
    const bytes = entries.reduce((total, [, fields]) => total + Buffer.byteLength(fields[fields.indexOf('record') + 1] ?? ''), 0);
    expect(bytes).toBeLessThanOrEqual(maxBytes);
    // The newest round is kept; the oldest went.
    const newest = JSON.parse(entries[entries.length - 1]?.[1][1] ?? '{}') as ResultRecord;
    expect(newest.scheduledAt).toBe(start + 39_000);
    expect(entries.length).toBeLessThan(40);
  });

  it('keeps 1,000 ordinary results under the default byte cap: the count decides for them', { timeout: 120_000 }, async () => {
    const body = JSON.stringify({ status: 'UP', components: { db: { status: 'UP' }, redis: { status: 'UP' } } });
    const seen: Observation = {
      ...observation(),
      response: { status: 200, headers: { 'content-type': 'application/json', server: 'nginx/1.27.3', 'cache-control': 'no-store' }, body, bodyBytes: body.length, bodyTruncated: false, httpVersion: '1.1' },
    };
    const verdict = evaluate(compileMonitorSpec({ url: URL, expect: { json: [{ path: '$.status', value: 'UP' }] } }), seen);
    expect(verdict.status).toBe('up');
    const rounds = repository();
    const monitorId = await newMonitor();
    const start = Date.now() - 2_000_000;
    for (let i = 0; i < 1_050; i++) await storeRound(rounds, monitorId, start + i * 1_000, verdict);

    const key = coordinatorKeys.monitorHistory(monitorId);
    expect(await redis.xlen(key)).toBe(1_000);
    const bytes = Number(await redis.hget(coordinatorKeys.monitorState(monitorId), 'history:bytes'));
    expect(bytes / 1_000).toBeLessThanOrEqual(4 * KiB);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_RESULT_HISTORY_MAX_BYTES);
  });
});
