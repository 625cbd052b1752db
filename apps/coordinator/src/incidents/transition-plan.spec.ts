import { advanceIncident, reconcile, type Cause, type MonitorIncidentState } from '@crosscheck/checks';
import { describe, expect, it } from 'vitest';
import type { RegionReport, RoundSummary } from '../results/round';
import { DIGEST_LIMITS } from './region-digest';
import { planTransition, type TransitionPlan } from './transition-plan';

const MONITOR = { id: 'mon_aaaaaaaaaaaaaaaaaaaa', name: 'Checkout', regions: ['ap-south', 'eu-west', 'us-east'], intervalSeconds: 30, spec: { url: 'https://shop.example/health' } };
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

function report(status: RegionReport['status'], causes: Cause[], evidence: RegionReport['evidence']): RegionReport {
  return { status, causes, evidence, agentId: status === 'missing' ? null : 'agent-1', agentVersion: null, checkedAt: null };
}

const up = (): RegionReport =>
  report('up', [], { httpStatus: 200, finalUrl: 'https://shop.example/health', totalMs: 80, redirects: 0, cache: { hit: false, signals: [] } });

/** nginx's own 502 page. */
const lbPage = (): RegionReport =>
  report('down', [{ code: 'lb_error_page', severity: 'down', message: "nginx's own 502 Bad Gateway page", evidence: { vendor: 'nginx' } }], {
    httpStatus: 502,
    finalUrl: 'https://shop.example/health',
    totalMs: 30,
    redirects: 0,
    cache: { hit: false, signals: [] },
    errorPageVendor: 'nginx',
  });

/** A cached 200, 90 minutes old, while the cache-bypassing request gets nginx's 502. */
const staleCache = (): RegionReport =>
  report(
    'down',
    [
      {
        code: 'stale_cache',
        severity: 'down',
        message: 'served from cache (age 5400 s) while the bypass request got 502 from nginx',
        evidence: { bypassStatus: 502, bypassErrorPageVendor: 'nginx' },
      },
    ],
    {
      httpStatus: 200,
      finalUrl: 'https://shop.example/health',
      totalMs: 12,
      redirects: 0,
      cache: { hit: true, ageSeconds: 5_400, signals: ['x-cache: HIT', 'age: 5400'], freshness: { lifetimeSeconds: 60, ageSeconds: 5_400, state: 'stale' } },
      bypassStatus: 502,
      content: { etag: '"v41"', version: '2.4.1', bodyHash: '0a1b2c3d4e5f6' },
    },
  );

const missing = (): RegionReport => ({ ...report('missing', [], null), reason: 'no result before the deadline: no live agent in region us-east (region blind)' });

function summaryAt(index: number, regions: Record<string, RegionReport>): RoundSummary {
  const scheduledAt = T0 + index * 60_000;
  return {
    roundId: `${MONITOR.id}-${scheduledAt}`,
    monitorId: MONITOR.id,
    scheduledAt,
    deadline: scheduledAt + 15_000,
    finalizedAt: scheduledAt + 500,
    finalizedBy: 'all_answered',
    complete: Object.values(regions).every((r) => r.status !== 'missing'),
    regions,
  };
}

/** Applies rounds in order, as the coordinator does; returns each round's plan. */
function plans(rounds: Record<string, RegionReport>[]): TransitionPlan[] {
  let state: MonitorIncidentState | undefined;
  return rounds.map((regions, index) => {
    const summary = summaryAt(index, regions);
    const reconciliation = reconcile({ regions: summary.regions });
    const previous = state ?? { version: 1, monitorId: MONITOR.id, lastRound: null, health: null, candidate: null, incident: null, regions: {} };
    const transition = advanceIncident(previous, { monitorId: MONITOR.id, roundId: summary.roundId, scheduledAt: summary.scheduledAt, reconciliation });
    state = transition.state;
    return planTransition({ monitor: MONITOR, summary, reconciliation, previous, transition });
  });
}

const MASKED = { 'ap-south': staleCache(), 'eu-west': staleCache(), 'us-east': lbPage() };
const UP = { 'ap-south': up(), 'eu-west': up(), 'us-east': up() };

describe('planTransition', () => {
  it('opens on the confirming round with a payload that carries the incident, the monitor, the classification and every region', () => {
    const [first, second] = plans([MASKED, MASKED]);
    expect(first!.events).toEqual([]);
    expect(first!.incident).toBeNull();
    expect(first!.classification).toMatchObject({ classification: 'masked_outage', affectedRegions: ['ap-south', 'eu-west', 'us-east'] });

    const opened = second!.events[0]!;
    expect(second!.events).toHaveLength(1);
    expect(opened).toMatchObject({
      id: `evt_${MONITOR.id}_${T0 + 60_000}_incident.opened`,
      type: 'incident.opened',
      timestamp: new Date(T0 + 60_000).toISOString(),
    });
    const incidentId = `inc_${MONITOR.id}_${T0 + 60_000}`;
    expect(opened.data).toMatchObject({
      incident: {
        id: incidentId,
        state: 'open',
        classification: 'masked_outage',
        severity: 'critical',
        affectedRegions: ['ap-south', 'eu-west', 'us-east'],
        startedAt: new Date(T0).toISOString(),
        openedAt: new Date(T0 + 60_000).toISOString(),
        resolvedAt: null,
        url: `/v1/incidents/${incidentId}`,
      },
      monitor: { id: MONITOR.id, name: 'Checkout', url: 'https://shop.example/health', regions: MONITOR.regions },
      classification: { before: null, after: 'masked_outage', round: 'masked_outage' },
      round: { roundId: `${MONITOR.id}-${T0 + 60_000}`, scheduledAt: new Date(T0 + 60_000).toISOString() },
    });
    const regions = opened.data['regions'] as Record<string, unknown>;
    expect(regions['eu-west']).toEqual({
      status: 'down',
      affected: true,
      reading: 'down_behind_cache',
      causes: [{ code: 'stale_cache', severity: 'down', message: 'served from cache (age 5400 s) while the bypass request got 502 from nginx' }],
      evidence: {
        httpStatus: 200,
        cache: { hit: true, ageSeconds: 5_400, signals: ['x-cache: HIT', 'age: 5400'], freshness: { lifetimeSeconds: 60, ageSeconds: 5_400, state: 'stale' } },
        bypassStatus: 502,
        bypassError: null,
        errorPageVendor: null,
        bypassErrorPageVendor: 'nginx',
        probeError: null,
        totalMs: 12,
        finalUrl: 'https://shop.example/health',
        content: { etag: '"v41"', version: '2.4.1', bodyHash: '0a1b2c3d4e5f6' },
      },
      note: null,
    });
    // A region with neither says nothing of them.
    expect(regions['us-east']).not.toHaveProperty('evidence.content');
    expect(regions['us-east']).not.toHaveProperty('evidence.cache.freshness');
    expect(regions['us-east']).toMatchObject({ status: 'down', reading: 'down_direct', evidence: { httpStatus: 502, errorPageVendor: 'nginx' } });
    expect(String(opened.data['reason'])).toContain('masked outage');
    // JSON all the way: what is committed is what the sink gets.
    expect(JSON.parse(JSON.stringify(opened))).toEqual(opened);

    expect(second!.incident).toMatchObject({
      score: T0 + 60_000,
      record: { id: incidentId, state: 'open', monitorId: MONITOR.id, openedRoundId: `${MONITOR.id}-${T0 + 60_000}` },
      entry: { eventId: opened.id, type: 'incident.opened', classification: 'masked_outage', incidentClassification: { before: null, after: 'masked_outage' } },
    });
    expect(second!.incident!.entry).toMatchObject({ regions });
  });

  it('resolves with the incident as it was, marked resolved', () => {
    const all = plans([MASKED, MASKED, UP, UP]);
    expect(all[2]!.events).toEqual([]);
    const resolved = all[3]!;
    expect(resolved.events.map((e) => e.type)).toEqual(['incident.resolved']);
    expect(resolved.incident?.record).toMatchObject({
      state: 'resolved',
      classification: 'masked_outage',
      openedAt: new Date(T0 + 60_000).toISOString(),
      resolvedAt: new Date(T0 + 3 * 60_000).toISOString(),
      resolvedRoundId: `${MONITOR.id}-${T0 + 3 * 60_000}`,
    });
    expect(resolved.events[0]!.data).toMatchObject({
      incident: { state: 'resolved', resolvedAt: new Date(T0 + 3 * 60_000).toISOString() },
      classification: { before: 'masked_outage', after: null, round: 'operational' },
    });
    expect(Object.values(resolved.events[0]!.data['regions'] as Record<string, { affected: boolean }>).map((r) => r.affected)).toEqual([false, false, false]);
  });

  it('reports a silent region once, with no incident when none is open', () => {
    const silent = { 'ap-south': up(), 'eu-west': up(), 'us-east': missing() };
    const all = plans([silent, silent, silent]);
    expect(all.map((p) => p.events.map((e) => e.type))).toEqual([[], ['region.blind'], []]);
    const blind = all[1]!.events[0]!;
    expect(blind.id).toBe(`evt_${MONITOR.id}_${T0 + 60_000}_region.blind_us-east`);
    expect(blind.data).toMatchObject({ incident: null, region: 'us-east', classification: { before: null, after: null, round: 'operational' } });
    expect((blind.data['regions'] as Record<string, { note: string | null; reading: string }>)['us-east']).toMatchObject({
      reading: 'missing',
      note: expect.stringContaining('region blind'),
    });
    expect(all[1]!.incident).toBeNull();
  });

  it('writes no state for a round older than the last applied one', () => {
    const summary = summaryAt(0, MASKED);
    const reconciliation = reconcile({ regions: summary.regions });
    const previous: MonitorIncidentState = {
      version: 1,
      monitorId: MONITOR.id,
      lastRound: { roundId: 'later', scheduledAt: T0 + 60_000 },
      health: null,
      candidate: null,
      incident: null,
      regions: {},
    };
    const transition = advanceIncident(previous, { monitorId: MONITOR.id, roundId: summary.roundId, scheduledAt: summary.scheduledAt, reconciliation });
    const plan = planTransition({ monitor: MONITOR, summary, reconciliation, previous, transition });
    expect(plan).toMatchObject({ state: null, incident: null, events: [] });
  });

  it('keeps payloads bounded whatever the agents reported', () => {
    const noisy: RegionReport = {
      ...lbPage(),
      causes: Array.from({ length: 50 }, () => ({ code: 'lb_error_page' as const, severity: 'down' as const, message: 'x'.repeat(10_000), evidence: {} })),
      evidence: { ...lbPage().evidence!, finalUrl: `https://shop.example/${'p'.repeat(10_000)}`, cache: { hit: false, signals: Array.from({ length: 100 }, () => 's'.repeat(1_000)) } },
    };
    const [, opened] = plans([{ 'eu-west': noisy }, { 'eu-west': noisy }]);
    const region = (opened!.events[0]!.data['regions'] as Record<string, { causes: { message: string }[]; evidence: { finalUrl: string; cache: { signals: string[] } } }>)['eu-west']!;
    expect(region.causes).toHaveLength(DIGEST_LIMITS.causes);
    expect(region.causes.every((c) => c.message.length <= DIGEST_LIMITS.message)).toBe(true);
    expect(region.evidence.finalUrl.length).toBeLessThanOrEqual(DIGEST_LIMITS.url);
    expect(region.evidence.cache.signals).toHaveLength(DIGEST_LIMITS.signals);
    expect(JSON.stringify(opened!.events[0]).length).toBeLessThan(8_000);
  });
});
