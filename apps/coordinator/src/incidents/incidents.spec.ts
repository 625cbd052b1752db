import { advanceIncident, reconcile } from '@crosscheck/checks';
import { checkJobIdFor, RESULT_JOB_NAME, type CheckJob, type CheckResult } from '@crosscheck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_SINK, type EventSink, type OutboundEvent } from '../events/event-sink';
import type { Monitor } from '../monitors/monitor';
import type { MonitorStatus } from '../results/monitor-status';
import type { RegionReport, RoundSummary } from '../results/round';
import { RoundsRepository } from '../results/rounds.repository';
import { eventually, FakeRegionAgent, fakeResult } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import type { IncidentDetail, IncidentPage, IncidentTimelineEntry, TimelineEntry } from './incident-record';
import { IncidentTransitions } from './incident-transitions.service';
import { IncidentsRepository } from './incidents.repository';
import { planTransition } from './transition-plan';

function isTransition(entry: IncidentTimelineEntry): entry is TimelineEntry {
  return entry.type !== 'acknowledged';
}

/** What a scripted agent answers for one region of one round. */
type Mode = 'up' | 'lb_page' | 'stale' | 'silent';
/** A monitor's script: the answer of a region in the monitor's n-th round (0 = its first). */
type Script = (round: number, region: string) => Mode;

const scripts = new Map<string, Script>();
/** Each monitor's first round, as the agents saw it: round numbers count from there. */
const firstRounds = new Map<string, number>();

function roundNumber(monitorId: string, scheduledAt: number): number {
  if (!firstRounds.has(monitorId)) firstRounds.set(monitorId, scheduledAt);
  return Math.round((scheduledAt - firstRounds.get(monitorId)!) / 1_000);
}

const URL = 'https://shop.example.test/health';

function verdictOf(mode: Exclude<Mode, 'silent'>): CheckResult['verdict'] {
  const evidence = { finalUrl: URL, redirects: 0, totalMs: 25, cache: { hit: false, signals: [] as string[] } };
  switch (mode) {
    case 'up':
      return { status: 'up', causes: [], expectations: [], evidence: { ...evidence, httpStatus: 200 } };
    case 'lb_page':
      return {
        status: 'down',
        causes: [{ code: 'lb_error_page', severity: 'down', message: "nginx's own 502 Bad Gateway page", evidence: { vendor: 'nginx', status: 502 } }],
        expectations: [],
        evidence: { ...evidence, httpStatus: 502, errorPageVendor: 'nginx' },
      };
    case 'stale':
      return {
        status: 'down',
        causes: [
          {
            code: 'stale_cache',
            severity: 'down',
            message: 'served from cache (age 5400 s) while the cache-bypassing request got 502 from nginx',
            evidence: { bypassStatus: 502, bypassErrorPageVendor: 'nginx', ageSeconds: 5_400 },
          },
        ],
        expectations: [],
        evidence: { ...evidence, httpStatus: 200, bypassStatus: 502, cache: { hit: true, ageSeconds: 5_400, signals: ['x-cache: HIT', 'age: 5400'] } },
      };
  }
}

/** A region's agents that answer each monitor's rounds as its script says (default: up). */
class ScriptedRegionAgent extends FakeRegionAgent {
  override async answer(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>, jobId = checkJobIdFor(job.roundId, job.region)): Promise<string> {
    const scheduledAt = Number(job.roundId.slice(job.monitorId.length + 1));
    // The test sets a monitor's script as soon as it knows the id; a first check may come sooner.
    const script = await eventually(async () => scripts.get(job.monitorId), 3_000, `the script of ${job.monitorId}`).catch(() => () => 'up' as const);
    const mode = script(roundNumber(job.monitorId, scheduledAt), job.region);
    if (mode === 'silent') return jobId;
    const result: CheckResult = { ...fakeResult(job, this.agentId), verdict: verdictOf(mode) };
    await this.resultQueue.add(RESULT_JOB_NAME, result, { jobId });
    return jobId;
  }
}

interface Published {
  by: string;
  event: OutboundEvent;
}

/**
 * Records every event the coordinator's event sink accepted (the sink itself still runs: it is the
 * webhooks module's, and the thing under test is what reaches it).
 */
function recordPublishes(coordinator: TestCoordinator, by: string, into: Published[]): void {
  const sink = coordinator.app.get<symbol, EventSink>(EVENT_SINK, { strict: false });
  const publish = sink.publish.bind(sink);
  sink.publish = async (event: OutboundEvent) => {
    await publish(event);
    into.push({ by, event: structuredClone(event) });
  };
}

function downReport(): RegionReport {
  const verdict = verdictOf('lb_page');
  return { status: 'down', causes: verdict.causes, evidence: verdict.evidence, agentId: 'fabricated', agentVersion: null, checkedAt: null };
}

/**
 * Incidents end to end: two coordinators on one (private) Redis, agents answering with the verdicts
 * each monitor's script chooses, rounds every second. Every scenario has its own monitor, and they
 * run side by side.
 */
describe('incidents', () => {
  let redisServer: PrivateRedis;
  let first: TestCoordinator;
  let second: TestCoordinator;
  let agents: ScriptedRegionAgent[] = [];
  const published: Published[] = [];
  const [regionA, regionB, regionS] = [randomRegion('inc-a'), randomRegion('inc-b'), randomRegion('inc-s')];
  const monitors: Record<'healthy' | 'outage' | 'flapping' | 'update' | 'blind', string> = { healthy: '', outage: '', flapping: '', update: '', blind: '' };

  /** Creates a monitor whose checks the agents answer as `script` says. */
  async function createMonitor(via: TestCoordinator, body: Record<string, unknown>, script: Script = () => 'up'): Promise<Monitor> {
    const response = await via.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'incidents test', intervalSeconds: 1, url: URL, timeoutMs: 500, ...body },
    });
    expect(response.status).toBe(201);
    const monitor = (await response.json()) as Monitor;
    scripts.set(monitor.id, script);
    return monitor;
  }

  async function json<T>(via: TestCoordinator, path: string, status = 200): Promise<T> {
    const response = await via.request(path);
    expect(response.status, `${path}: ${response.status}`).toBe(status);
    return (await response.json()) as T;
  }

  const status = (monitorId: string, via = first) => json<MonitorStatus>(via, `/v1/monitors/${monitorId}/status`);
  const eventsOf = (monitorId: string) =>
    published.filter(({ event }) => (event.data['monitor'] as { id: string }).id === monitorId).map(({ event }) => event);
  const roundOf = (monitorId: string, event: OutboundEvent) => roundNumber(monitorId, Date.parse(event.timestamp));

  /** Waits until the monitor's round `n` (or a later one) has been applied; returns its status. */
  async function appliedThrough(monitorId: string, n: number, timeoutMs = 15_000): Promise<MonitorStatus> {
    return eventually(
      async () => {
        const current = await status(monitorId);
        const at = current.classification?.scheduledAt;
        return at !== undefined && roundNumber(monitorId, Date.parse(at)) >= n ? current : undefined;
      },
      timeoutMs,
      `round ${n} of ${monitorId} applied`,
    );
  }

  async function eventOf(monitorId: string, type: string, timeoutMs = 15_000): Promise<OutboundEvent> {
    return eventually(async () => eventsOf(monitorId).find((event) => event.type === type), timeoutMs, `${type} of ${monitorId}`);
  }

  beforeAll(async () => {
    redisServer = new PrivateRedis(await freePort());
    await redisServer.start();
    [first, second] = await Promise.all([startTestCoordinator({ redisUrl: redisServer.url }), startTestCoordinator({ redisUrl: redisServer.url })]);
    recordPublishes(first, 'first', published);
    recordPublishes(second, 'second', published);
    agents = [regionA, regionB, regionS].map((region) => new ScriptedRegionAgent(region, `agent-${region}`, redisServer.url).start());

    const scenarios: [keyof typeof monitors, TestCoordinator, string[], Script][] = [
      ['healthy', first, [regionA, regionB], () => 'up'],
      ['outage', second, [regionA, regionB], (n) => (n < 4 ? 'lb_page' : 'up')],
      ['flapping', first, [regionA, regionB], (n) => (n % 2 === 0 ? 'lb_page' : 'up')],
      ['update', second, [regionA, regionB], (n, region) => (n < 3 ? 'lb_page' : region === regionA ? 'stale' : 'lb_page')],
      ['blind', first, [regionA, regionS], (n, region) => (region === regionS && n < 4 ? 'silent' : 'up')],
    ];
    await Promise.all(
      scenarios.map(async ([name, via, regions, script]) => {
        monitors[name] = (await createMonitor(via, { name, regions }, script)).id;
      }),
    );
  }, 30_000);

  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await Promise.all(agents.map((agent) => agent.close()));
    await redisServer?.destroy();
  });

  it('a healthy monitor is operational and opens nothing', async () => {
    const current = await appliedThrough(monitors.healthy, 2);
    expect(current.classification).toMatchObject({ classification: 'operational', affectedRegions: [], blindRegions: [], decidedBy: ['all_up'] });
    expect(current.incident).toBeNull();
    expect(eventsOf(monitors.healthy)).toEqual([]);
  });

  it('down everywhere for two rounds opens one incident; two healthy rounds resolve it', async () => {
    const resolved = await eventOf(monitors.outage, 'incident.resolved');
    const events = eventsOf(monitors.outage);
    expect(events.map((e) => e.type)).toEqual(['incident.opened', 'incident.resolved']);
    const opened = events[0]!;
    // Rounds 0 and 1 down: confirmed by round 1. Rounds 4 and 5 up: resolved by round 5.
    expect(roundOf(monitors.outage, opened)).toBe(1);
    expect(roundOf(monitors.outage, resolved)).toBe(5);
    expect(opened.data).toMatchObject({
      incident: { state: 'open', classification: 'outage', severity: 'critical', affectedRegions: [regionA, regionB].sort() },
      monitor: { id: monitors.outage, name: 'outage', url: URL },
      classification: { before: null, after: 'outage', round: 'outage' },
    });
    const regions = opened.data['regions'] as Record<string, { affected: boolean; status: string; evidence: { httpStatus: number; errorPageVendor: string } }>;
    expect(regions[regionA]).toMatchObject({ affected: true, status: 'down', evidence: { httpStatus: 502, errorPageVendor: 'nginx' } });
    expect(resolved.data).toMatchObject({ incident: { state: 'resolved' }, classification: { before: 'outage', after: null, round: 'operational' } });

    const incidentId = (opened.data['incident'] as { id: string }).id;
    const detail = await json<IncidentDetail>(second, `/v1/incidents/${incidentId}`);
    expect(detail).toMatchObject({ id: incidentId, monitorId: monitors.outage, state: 'resolved', classification: 'outage' });
    expect(detail.resolvedAt).toBe(resolved.timestamp);
    const transitions = detail.timeline.filter(isTransition);
    expect(detail.timeline.map((entry) => [entry.type, isTransition(entry) ? entry.eventId : null])).toEqual([
      ['incident.opened', opened.id],
      ['incident.resolved', resolved.id],
    ]);
    expect(detail.timeline[0]).toMatchObject({ classification: 'outage', affectedRegions: [regionA, regionB].sort(), at: opened.timestamp });
    expect(transitions[0]!.roundId).toBe(`${monitors.outage}-${Date.parse(opened.timestamp)}`);
    expect(transitions[0]!.regions[regionB]).toMatchObject({ status: 'down', reading: 'down_direct', evidence: { errorPageVendor: 'nginx' } });
    expect(detail.timeline[1]).toMatchObject({ classification: 'operational', incidentClassification: { before: 'outage', after: null } });
    expect((await status(monitors.outage)).incident).toBeNull();
  });

  it('flapping (down and up in turn) opens nothing', async () => {
    const current = await appliedThrough(monitors.flapping, 7);
    expect(eventsOf(monitors.flapping)).toEqual([]);
    expect(current.incident).toBeNull();
    expect((await json<IncidentPage>(first, `/v1/incidents?monitorId=${monitors.flapping}`)).items).toEqual([]);
  });

  it('a change of classification while open, once confirmed, updates the incident', async () => {
    const updated = await eventOf(monitors.update, 'incident.updated');
    const events = eventsOf(monitors.update);
    expect(events.map((e) => e.type)).toEqual(['incident.opened', 'incident.updated']);
    // Rounds 3 and 4 masked: the change holds two rounds before it is sent.
    expect(roundOf(monitors.update, updated)).toBe(4);
    expect(updated.data).toMatchObject({
      incident: { state: 'open', classification: 'masked_outage', severity: 'critical' },
      classification: { before: 'outage', after: 'masked_outage', round: 'masked_outage' },
    });
    const stale = (updated.data['regions'] as Record<string, unknown>)[regionA];
    expect(stale).toMatchObject({
      status: 'down',
      affected: true,
      reading: 'down_behind_cache',
      causes: [{ code: 'stale_cache', severity: 'down' }],
      evidence: {
        httpStatus: 200,
        cache: { hit: true, ageSeconds: 5_400, signals: ['x-cache: HIT', 'age: 5400'] },
        bypassStatus: 502,
        bypassErrorPageVendor: 'nginx',
      },
    });
    expect(String(updated.data['reason'])).toContain('502 nginx');

    const current = await status(monitors.update, second);
    expect(current.classification).toMatchObject({ classification: 'masked_outage', affectedRegions: [regionA, regionB].sort() });
    expect(current.classification?.decidedBy[0]).toBe('stale_cache_behind_edge');
    expect(current.incident).toMatchObject({ state: 'open', classification: 'masked_outage', id: (updated.data['incident'] as { id: string }).id });
    const detail = await json<IncidentDetail>(first, current.incident!.url);
    expect(detail.timeline.map((entry) => entry.type)).toEqual(['incident.opened', 'incident.updated']);
  });

  it('a region whose agent stops answering is reported blind once, restored once, and opens nothing', async () => {
    const restored = await eventOf(monitors.blind, 'region.restored');
    const events = eventsOf(monitors.blind);
    expect(events.map((e) => `${e.type} ${String(e.data['region'])}`)).toEqual([`region.blind ${regionS}`, `region.restored ${regionS}`]);
    const blind = events[0]!;
    expect(roundOf(monitors.blind, blind)).toBe(1);
    expect(blind.id).toBe(`evt_${monitors.blind}_${Date.parse(blind.timestamp)}_region.blind_${regionS}`);
    expect(blind.data).toMatchObject({ incident: null, region: regionS, classification: { before: null, after: null, round: 'operational' } });
    expect((blind.data['regions'] as Record<string, unknown>)[regionS]).toMatchObject({
      status: 'missing',
      reading: 'missing',
      note: expect.stringContaining('no result before the deadline'),
    });
    expect(restored.data['region']).toBe(regionS);
    const current = await status(monitors.blind);
    expect(current.incident).toBeNull();
  });

  it('two coordinators: every event reaches the sink once, every transition is applied once', async () => {
    await Promise.all([eventOf(monitors.outage, 'incident.resolved'), eventOf(monitors.update, 'incident.updated'), eventOf(monitors.blind, 'region.restored')]);
    // Let anything in flight settle before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = published.map(({ event }) => event.id);
    expect(ids.length).toBeGreaterThanOrEqual(6);
    expect(new Set(ids).size).toBe(ids.length);

    // Each incident's timeline holds exactly the incident events sent for it.
    const page = await json<IncidentPage>(second, '/v1/incidents?limit=200');
    expect(page.items.map((i) => i.monitorId).sort()).toEqual([monitors.outage, monitors.update].sort());
    for (const incident of page.items) {
      const detail = await json<IncidentDetail>(first, `/v1/incidents/${incident.id}`);
      const sent = published.filter(({ event }) => (event.data['incident'] as { id: string } | null)?.id === incident.id && event.type.startsWith('incident.'));
      expect(detail.timeline.filter(isTransition).map((entry) => entry.eventId)).toEqual(sent.map(({ event }) => event.id));
    }
  });

  it('the same round applied concurrently by both coordinators and again later commits once', async () => {
    const monitor = await createMonitor(first, { name: 'concurrent', regions: [regionA, regionB], intervalSeconds: 3_600 });
    await appliedThrough(monitor.id, 0);
    const transitions = [first, second].map((c) => c.app.get(IncidentTransitions, { strict: false }));
    const base = Date.now() + 3_600_000;
    const downSummary = (monitorId: string, scheduledAt: number): RoundSummary => ({
      roundId: `${monitorId}-${scheduledAt}`,
      monitorId,
      scheduledAt,
      deadline: scheduledAt + 1_000,
      finalizedAt: scheduledAt + 10,
      finalizedBy: 'all_answered',
      complete: true,
      regions: { [regionA]: downReport(), [regionB]: downReport() },
    });
    for (const scheduledAt of [base, base + 1_000]) {
      const summary = downSummary(monitor.id, scheduledAt);
      const outcomes = await Promise.all([...transitions, ...transitions, ...transitions].map((t) => t.apply(summary)));
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(5);
    }
    const opened = await eventOf(monitor.id, 'incident.opened', 5_000);
    expect(opened.id).toBe(`evt_${monitor.id}_${base + 1_000}_incident.opened`);
    const page = await json<IncidentPage>(second, `/v1/incidents?monitorId=${monitor.id}`);
    expect(page.items).toHaveLength(1);
    expect((await json<IncidentDetail>(first, page.items[0]!.url)).timeline).toHaveLength(1);

    // A transition computed from a state that has moved since is refused, and goes through once recomputed.
    const repository = first.app.get(IncidentsRepository, { strict: false });
    const { state, revision } = await repository.readState(monitor.id);
    const later = downSummary(monitor.id, base + 2_000);
    const reconciliation = reconcile({ regions: later.regions });
    const transition = advanceIncident(state, { monitorId: monitor.id, roundId: later.roundId, scheduledAt: later.scheduledAt, reconciliation });
    const plan = planTransition({ monitor, summary: later, reconciliation, previous: state!, transition });
    expect((await repository.commit(monitor.id, later.roundId, revision - 1, plan)).outcome).toBe('conflict');
    expect(await repository.commit(monitor.id, later.roundId, revision, plan)).toEqual({ outcome: 'applied', revision: revision + 1 });
    expect((await repository.commit(monitor.id, later.roundId, revision + 1, plan)).outcome).toBe('duplicate');
    // A round older than the latest applied one is refused too: the machine would ignore it anyway.
    expect(await transitions[0]!.apply(downSummary(monitor.id, base + 500))).toBe('duplicate');

    // A retried round, long after: nothing is written, nothing is sent.
    const incidentId = (opened.data['incident'] as { id: string }).id;
    const outage = (await json<IncidentPage>(first, `/v1/incidents?monitorId=${monitors.outage}`)).items[0]!;
    // Its record is gone once applied (a finalized round keeps a tombstone only a minute): the replay is rebuilt.
    const replay = { ...downSummary(monitors.outage, Date.parse(outage.openedAt)), roundId: outage.openedRoundId };
    const before = published.length;
    expect(await transitions[1]!.apply(replay)).toBe('duplicate');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(published.length).toBe(before);
    expect((await repository.timeline(outage.id)).map((entry) => entry.type)).toEqual(['incident.opened', 'incident.resolved']);
    expect(await repository.timeline(incidentId)).toHaveLength(1);
  });

  it('a round finalized by a coordinator that died before applying it is applied at its deadline', async () => {
    const monitor = await createMonitor(first, { name: 'crash gap', regions: [regionA], intervalSeconds: 3_600 }, () => 'silent');
    const agent = agents[0]!;
    const check = await eventually(async () => agent.checks.find((job) => job.data.monitorId === monitor.id), 5_000, 'the check job');
    const { roundId } = check.data;
    // What a coordinator does before dying between the two steps: finalize, and nothing else.
    const summary = await first.app.get(RoundsRepository, { strict: false }).finalize(roundId, monitor.id, 'all_answered', {});
    expect(summary?.roundId).toBe(roundId);
    expect((await status(monitor.id)).classification).toBeNull();

    const applied = await appliedThrough(monitor.id, 0, 5_000);
    expect(applied.classification).toMatchObject({ roundId, classification: 'unknown', blindRegions: [regionA] });
    expect(applied.round?.roundId).toBe(roundId);
  });

  describe('API', () => {
    it('lists incidents newest first, filtered by monitor, state and time, page by page', async () => {
      await Promise.all([eventOf(monitors.outage, 'incident.resolved'), eventOf(monitors.update, 'incident.opened')]);
      const all = await json<IncidentPage>(first, '/v1/incidents');
      expect(all.items.length).toBeGreaterThanOrEqual(2);
      const openedAts = all.items.map((i) => Date.parse(i.openedAt));
      expect([...openedAts].sort((a, b) => b - a)).toEqual(openedAts);

      const open = await json<IncidentPage>(first, '/v1/incidents?state=open');
      expect(open.items.every((i) => i.state === 'open')).toBe(true);
      expect(open.items.map((i) => i.monitorId)).toContain(monitors.update);
      expect(open.items.map((i) => i.monitorId)).not.toContain(monitors.outage);
      const resolved = await json<IncidentPage>(first, `/v1/incidents?state=resolved&monitorId=${monitors.outage}`);
      expect(resolved.items.map((i) => [i.monitorId, i.state])).toEqual([[monitors.outage, 'resolved']]);
      expect((await json<IncidentPage>(first, `/v1/incidents?state=open&monitorId=${monitors.outage}`)).items).toEqual([]);

      const outage = resolved.items[0]!;
      const at = Date.parse(outage.openedAt);
      const window = await json<IncidentPage>(first, `/v1/incidents?monitorId=${monitors.outage}&since=${at}&until=${new Date(at).toISOString()}`);
      expect(window.items.map((i) => i.id)).toEqual([outage.id]);
      expect((await json<IncidentPage>(first, `/v1/incidents?since=${at + 1}&monitorId=${monitors.outage}`)).items).toEqual([]);
      expect((await json<IncidentPage>(first, `/v1/incidents?until=${at - 1}&monitorId=${monitors.outage}`)).items).toEqual([]);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: IncidentPage = await json<IncidentPage>(first, `/v1/incidents?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor !== null && seen.length < 50);
      expect(seen).toEqual(all.items.map((i) => i.id));
    });

    it('answers 400 naming the parameter for a bad query, 404 for an unknown incident', async () => {
      const cases: [string, string[]][] = [
        ['state=closed', ['state']],
        ['monitorId=nope', ['monitorId']],
        ['limit=0', ['limit']],
        ['limit=abc&since=yesterday', ['limit', 'since']],
        ['cursor=12', ['cursor']],
        ['since=2000&until=1000', ['since']],
        ['state=open&state=resolved', ['state']],
        ['color=red', ['']],
      ];
      for (const [query, paths] of cases) {
        const problem = await json<{ statusCode: number; issues: { path: string }[] }>(first, `/v1/incidents?${query}`, 400);
        expect(problem.issues.map((issue) => issue.path).sort(), query).toEqual(paths);
      }
      for (const id of ['inc_mon_aaaaaaaaaaaaaaaaaaaa_1', 'nope', 'inc_mon_aaaaaaaaaaaaaaaaaaaa_1%3Fx']) {
        expect(await json<{ statusCode: number }>(first, `/v1/incidents/${id}`, 404)).toMatchObject({ statusCode: 404, error: 'Not Found' });
      }
      expect((await fetch(`${first.baseUrl}/v1/incidents`)).status).toBe(401);
    });

    it('takes per-monitor policies, with defaults, and refuses bad ones with their paths', async () => {
      const monitor = await createMonitor(first, { name: 'policies', regions: [regionA], intervalSeconds: 3_600, incidents: { openAfter: 3 } });
      expect(monitor.reconcile).toEqual({ quorum: 0.5, minRegions: 1, outageQuorum: 0.5, lastModifiedSkewSeconds: 300 });
      expect(monitor.incidents).toEqual({ openAfter: 3, resolveAfter: 2, openOnDegraded: true });
      const response = await first.request('/v1/monitors', {
        method: 'POST',
        json: { name: 'bad', regions: [regionA], intervalSeconds: 60, url: URL, reconcile: { quorum: 7 }, incidents: { resolveAfter: 0, later: true } },
      });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { issues: { path: string }[] };
      expect(problem.issues.map((i) => i.path).sort()).toEqual(['incidents.later', 'incidents.resolveAfter', 'reconcile.quorum']);
    });

    it('documents the routes and the new fields', async () => {
      const document = (await (await fetch(`${first.baseUrl}/docs-json`)).json()) as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      };
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/incidents', '/v1/incidents/{id}']));
      expect(document.components.schemas['MonitorStatus']?.properties).toHaveProperty('classification');
      expect(document.components.schemas['MonitorStatus']?.properties).toHaveProperty('incident');
      expect(document.components.schemas).toHaveProperty('IncidentEvent');
    });
  });
});
