import type { SeriesReport, UptimeReport } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clock } from '../core/clock';
import { IncidentTransitions } from '../incidents/incident-transitions.service';
import { coordinatorKeys } from '../redis/coordinator-keys';
import type { RegionReport, RoundSummary } from '../results/round';
import { purgeRegions } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, TEST_REDIS_URL, type TestCoordinator } from '../testing/test-coordinator';
import { latencyBucketOf, latencyBucketValue } from './latency-histogram';

/** A clock the test moves. */
class TestClock extends Clock {
  constructor(public at: number) {
    super();
  }

  now(): number {
    return this.at;
  }
}

const URL = 'https://shop.example.test/health';
const INTERVAL_MS = 30_000;

function answered(status: 'up' | 'degraded' | 'down', totalMs: number): RegionReport {
  const evidence = { httpStatus: 200, finalUrl: URL, totalMs, redirects: 0, cache: { hit: false, signals: [] as string[] } };
  const base = { agentId: 'agent', agentVersion: '0.0.0-test', checkedAt: null };
  switch (status) {
    case 'up':
      return { status, causes: [], evidence, ...base };
    case 'degraded':
      return {
        status,
        causes: [{ code: 'slow', severity: 'degraded', message: `took ${totalMs} ms, over the 3000 ms degraded threshold`, evidence: { totalMs, degradedMs: 3_000 } }],
        evidence,
        ...base,
      };
    case 'down':
      return {
        status,
        causes: [{ code: 'lb_error_page', severity: 'down', message: "nginx's own 502 Bad Gateway page", evidence: { vendor: 'nginx', status: 502 } }],
        evidence: { ...evidence, httpStatus: 502, errorPageVendor: 'nginx' },
        ...base,
      };
  }
}

const missing = (): RegionReport => ({ status: 'missing', causes: [], evidence: null, agentId: null, agentVersion: null, checkedAt: null, reason: 'no live agent' });

/**
 * Uptime and series through the real commit path: rounds of known outcome applied by the
 * coordinator's own `IncidentTransitions` (reconcile, incident machine, the commit script that
 * writes the rollups), read back through the routes. The coordinator's clock is ten days ahead,
 * so its own scheduler's rounds are all past their deadline and skipped: only these rounds count.
 */
describe('uptime and series of a monitor', () => {
  const clock = new TestClock(0);
  let coordinator: TestCoordinator;
  let redis: Redis;
  const [a, b] = [randomRegion('up-a'), randomRegion('up-b')];
  let monitorId = '';
  /** The first round: 10 minutes before an hour boundary, so minute and hour buckets close into chunks. */
  let base = 0;
  let summaries: RoundSummary[] = [];

  const get = async <T>(path: string): Promise<T> => {
    const response = await coordinator.request(path);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
    return (await response.json()) as T;
  };

  function summary(i: number, regions: Record<string, RegionReport>): RoundSummary {
    const scheduledAt = base + i * INTERVAL_MS;
    return {
      roundId: `${monitorId}-${scheduledAt}`,
      monitorId,
      scheduledAt,
      deadline: scheduledAt + 10_000,
      finalizedAt: scheduledAt + 50,
      finalizedBy: Object.values(regions).some((r) => r.status === 'missing') ? 'deadline' : 'all_answered',
      complete: !Object.values(regions).some((r) => r.status === 'missing'),
      regions,
    };
  }

  beforeAll(async () => {
    const hour = 3_600_000;
    base = Math.ceil((Date.now() + 10 * 86_400_000) / hour) * hour - 10 * 60_000;
    clock.at = base - 60_000;
    coordinator = await startTestCoordinator({ clock });
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const created = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'uptime', url: URL, regions: [a, b], intervalSeconds: 30, incidents: { openAfter: 1, resolveAfter: 1, openOnDegraded: false } },
    });
    expect(created.status).toBe(201);
    monitorId = ((await created.json()) as { id: string }).id;

    // 29 operational rounds, 1 degraded (counts as up), 10 outage (an incident opens at the first),
    // 3 with every region missing (unknown: excluded; the incident stays open through them).
    summaries = [
      ...Array.from({ length: 29 }, (_, i) => summary(i, { [a]: answered('up', 100), [b]: answered('up', 200) })),
      summary(29, { [a]: answered('degraded', 4_000), [b]: answered('up', 200) }),
      ...Array.from({ length: 10 }, (_, i) => summary(30 + i, { [a]: answered('down', 30), [b]: answered('down', 40) })),
      ...Array.from({ length: 3 }, (_, i) => summary(40 + i, { [a]: missing(), [b]: missing() })),
    ];
    const transitions = coordinator.app.get(IncidentTransitions, { strict: false });
    for (const round of summaries) expect(await transitions.apply(round)).toBe('applied');
    clock.at = base + 43 * INTERVAL_MS + 5_000;
  }, 30_000);

  afterAll(async () => {
    await coordinator?.close();
    await redis?.quit();
    await purgeRegions([a, b]);
  });

  const expectedUptime = (): Partial<UptimeReport> => ({
    uptimeRatio: 0.75,
    degradedRatio: 0.025,
    rounds: { counted: 40, up: 30, down: 10, excluded: 3 },
    excluded: { rounds: 3, reason: expect.stringMatching(/unknown/) as unknown as string },
    // After each outage round and each unknown one: 13 rounds of 30 s.
    incidentMinutes: 6.5,
    classificationMinutes: { operational: 14.5, degraded: 0.5, outage: 5, unknown: 1.5 },
  });

  it.each(['1h', '24h', '7d', '365d'] as const)('%s: 30 up, 10 down, 3 excluded, 6.5 incident minutes, per region ratios and latency', async (window) => {
    const report = await get<UptimeReport>(`/v1/monitors/${monitorId}/uptime?window=${window}`);
    expect(report).toMatchObject({ window, ...expectedUptime() });
    expect(report.resolution).toBe(window === '365d' ? 'day' : window === '7d' ? 'hour' : 'minute');
    expect(Date.parse(report.from)).toBeLessThanOrEqual(base);
    expect(Date.parse(report.to)).toBeGreaterThan(clock.at);
    // a: 29 up at 100 ms, 1 degraded at 4 s, 10 down at 30 ms: p50 and p95 are 100 ms (the middle of its 1.2× bucket).
    expect(report.regions[a]).toEqual({
      uptimeRatio: 0.75,
      checks: { up: 29, degraded: 1, down: 10, missing: 3 },
      latencyMs: { p50: latencyBucketValue(latencyBucketOf(100)), p95: latencyBucketValue(latencyBucketOf(100)), max: 4_000 },
    });
    // b: 30 up at 200 ms, 10 down at 40 ms (the 502 pages answered): p50 is the 20th of 40, 200 ms
    // (its bucket's middle, 217 ms, is above the maximum: the maximum it is).
    expect(report.regions[b]).toEqual({
      uptimeRatio: 0.75,
      checks: { up: 30, degraded: 0, down: 10, missing: 3 },
      latencyMs: { p50: 200, p95: 200, max: 200 },
    });
    expect(report.regions[a]?.latencyMs?.p50).toBe(105);
  });

  it('defaults to 24h', async () => {
    expect(await get<UptimeReport>(`/v1/monitors/${monitorId}/uptime`)).toMatchObject({ window: '24h', ...expectedUptime() });
  });

  it('series: every minute of the hour, the rounds where they fell', async () => {
    const series = await get<SeriesReport>(`/v1/monitors/${monitorId}/series?window=1h&step=1m`);
    expect(series).toMatchObject({ window: '1h', step: '1m', resolution: 'minute' });
    expect(series.points).toHaveLength(60);
    const at = (ms: number) => series.points.find((point) => point.at === new Date(ms).toISOString());
    // Two rounds a minute: minute 14 holds the last operational round and the degraded one.
    expect(at(base)).toMatchObject({ rounds: 2, up: 2, down: 0, excluded: 0, uptimeRatio: 1, worst: 'operational', classifications: { operational: 2 }, incidentMinutes: 0 });
    // Never above the exact maximum: two checks of 100 ms are 100 ms.
    expect(at(base)?.regions[a]).toEqual({ up: 2, degraded: 0, down: 0, missing: 0, latencyMs: { p50: 100, p95: 100, max: 100 } });
    expect(at(base + 14 * 60_000)).toMatchObject({ rounds: 2, up: 2, worst: 'degraded', classifications: { operational: 1, degraded: 1 } });
    expect(at(base + 15 * 60_000)).toMatchObject({ rounds: 2, up: 0, down: 2, uptimeRatio: 0, worst: 'outage', incidentMinutes: 1 });
    expect(at(base + 20 * 60_000)).toMatchObject({ rounds: 2, excluded: 2, uptimeRatio: null, worst: 'unknown' });
    expect(at(base + 20 * 60_000)?.regions[b]).toEqual({ up: 0, degraded: 0, down: 0, missing: 2, latencyMs: null });
    // An empty minute: zeros, nulls, and still every region.
    expect(at(base - 5 * 60_000)).toEqual({
      at: new Date(base - 5 * 60_000).toISOString(),
      rounds: 0,
      up: 0,
      down: 0,
      excluded: 0,
      uptimeRatio: null,
      incidentMinutes: 0,
      maintenanceMinutes: 0,
      worst: null,
      classifications: {},
      regions: { [a]: { up: 0, degraded: 0, down: 0, missing: 0, latencyMs: null }, [b]: { up: 0, degraded: 0, down: 0, missing: 0, latencyMs: null } },
    });
    const total = series.points.reduce((sum, point) => sum + point.rounds, 0);
    expect(total).toBe(43);
  });

  it('series by the hour and by the day sum the same rounds (read from the coarser tiers)', async () => {
    const hours = await get<SeriesReport>(`/v1/monitors/${monitorId}/series?window=24h&step=1h`);
    expect(hours.points).toHaveLength(24);
    // The rounds straddle an hour boundary: 20 before it, 23 after.
    expect(hours.points.filter((p) => p.rounds > 0).map((p) => [p.rounds, p.up, p.down, p.excluded, p.worst])).toEqual([
      [20, 20, 0, 0, 'operational'],
      [23, 10, 10, 3, 'outage'],
    ]);
    const days = await get<SeriesReport>(`/v1/monitors/${monitorId}/series?window=90d`);
    expect(days).toMatchObject({ step: '1d', resolution: 'hour' });
    expect(days.points).toHaveLength(90);
    const day = days.points.filter((p) => p.rounds > 0);
    expect(day.reduce((sum, p) => sum + p.rounds, 0)).toBe(43);
    expect(day.reduce((sum, p) => sum + p.incidentMinutes, 0)).toBe(6.5);
    expect((await get<SeriesReport>(`/v1/monitors/${monitorId}/series?window=24h`)).points).toHaveLength(96);
  });

  it('counts a round once however often it is applied', async () => {
    const transitions = coordinator.app.get(IncidentTransitions, { strict: false });
    const again = [summaries[0]!, summaries[35]!, summaries[42]!];
    const outcomes = await Promise.all([...again, ...again, ...again].map((round) => transitions.apply(round)));
    expect(outcomes.every((outcome) => outcome === 'duplicate')).toBe(true);
    expect(await get<UptimeReport>(`/v1/monitors/${monitorId}/uptime?window=1h`)).toMatchObject(expectedUptime());
  });

  it('commits the transition even when the rollup cannot be written', async () => {
    const created = await coordinator.request('/v1/monitors', { method: 'POST', json: { name: 'broken rollup', url: URL, regions: [a], intervalSeconds: 60 } });
    const id = ((await created.json()) as { id: string }).id;
    const transitions = coordinator.app.get(IncidentTransitions, { strict: false });
    const round = (i: number): RoundSummary => ({ ...summary(i, { [a]: answered('up', 100) }), roundId: `${id}-${base + i * INTERVAL_MS}`, monitorId: id });
    expect(await transitions.apply(round(0))).toBe('applied');
    // An open hour this code cannot read: closing the open minute into it fails.
    await redis.hset(coordinatorKeys.rollupOpen(id), 'h', 'not a rollup');
    expect(await transitions.apply(round(4))).toBe('applied');
    expect(await redis.hget(coordinatorKeys.incidentState(id), 'applied:round')).toBe(round(4).roundId);
    // The rollup step stopped where it failed: the open minute is still the first round's.
    expect(await redis.hget(coordinatorKeys.rollupOpen(id), 'm')).toBe(String(Math.floor(base / 60_000) * 60_000));
    expect(await transitions.apply(round(4))).toBe('duplicate');
    await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
  });

  it('answers 400 naming the parameter, 404 for an unknown monitor', async () => {
    const problemAt = async (path: string, status: number): Promise<{ issues?: { path: string; message: string }[] }> => {
      const response = await coordinator.request(path);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      return (await response.json()) as { issues?: { path: string; message: string }[] };
    };
    expect((await problemAt(`/v1/monitors/${monitorId}/uptime?window=2h`, 400)).issues).toEqual([{ path: 'window', message: expect.stringMatching(/must be one of 1h, 24h, 7d, 30d, 90d, 365d/) }]);
    expect((await problemAt(`/v1/monitors/${monitorId}/series?window=90d&step=1h`, 400)).issues).toEqual([{ path: 'step', message: expect.stringMatching(/2160 points/) }]);
    expect((await problemAt(`/v1/monitors/${monitorId}/series?window=7d&step=5m`, 400)).issues?.[0]?.path).toBe('step');
    expect((await problemAt(`/v1/monitors/${monitorId}/series?step=2m`, 400)).issues?.[0]?.path).toBe('step');
    await problemAt('/v1/monitors/mon_aaaaaaaaaaaaaaaaaaaa/uptime', 404);
    await problemAt('/v1/monitors/not-an-id/series', 404);
  });

  it('writes nothing with ROLLUPS=off, and deleting the monitor deletes its rollups', async () => {
    const off = await startTestCoordinator({ clock, rollups: { enabled: false, minuteRetentionMs: 86_400_000, hourRetentionMs: 90 * 86_400_000, dayRetentionMs: 365 * 86_400_000 } });
    try {
      const round = summary(43, { [a]: answered('up', 100), [b]: answered('up', 200) });
      expect(await off.app.get(IncidentTransitions, { strict: false }).apply(round)).toBe('applied');
      clock.at = round.scheduledAt + 1_000;
      // Applied (the incident resolved), yet not counted.
      expect(await get<UptimeReport>(`/v1/monitors/${monitorId}/uptime?window=1h`)).toMatchObject({ rounds: { counted: 40, up: 30, down: 10, excluded: 3 } });
    } finally {
      await off.close();
    }
    const prefix = coordinatorKeys.rollupOpen(monitorId);
    expect(await redis.exists(prefix)).toBe(1);
    expect((await coordinator.request(`/v1/monitors/${monitorId}`, { method: 'DELETE' })).status).toBe(204);
    const [, left] = await redis.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    expect(left).toEqual([]);
  });
});
