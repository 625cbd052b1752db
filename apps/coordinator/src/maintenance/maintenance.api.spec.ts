import type { IncidentDetailView, IncidentView, UptimeReport } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Clock } from '../core/clock';
import { IncidentTransitions } from '../incidents/incident-transitions.service';
import { OutboxRelay } from '../incidents/outbox-relay.service';
import { coordinatorKeys, STATE_SHARDS } from '../redis/coordinator-keys';
import type { RegionReport, RoundSummary } from '../results/round';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { MaintenanceEvents } from './maintenance-events.service';

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

const up = (): RegionReport => ({
  status: 'up',
  causes: [],
  evidence: { httpStatus: 200, finalUrl: URL, totalMs: 80, redirects: 0, cache: { hit: false, signals: [] } },
  agentId: 'agent',
  agentVersion: '0.0.0-test',
  checkedAt: null,
});
const down = (): RegionReport => ({
  status: 'down',
  causes: [{ code: 'lb_error_page', severity: 'down', message: "nginx's own 502 Bad Gateway page", evidence: { vendor: 'nginx', status: 502 } }],
  evidence: { httpStatus: 502, finalUrl: URL, totalMs: 30, redirects: 0, cache: { hit: false, signals: [] }, errorPageVendor: 'nginx' },
  agentId: 'agent',
  agentVersion: '0.0.0-test',
  checkedAt: null,
});

interface OutboxEvent {
  id: string;
  type: string;
  data: { monitor?: { id: string }; maintenance?: { id: string } };
}

/**
 * Maintenance windows through the real commit path: rounds of known outcome applied by the
 * coordinator's own `IncidentTransitions` (the calendar lookup, the machine, the hold, the commit
 * script), on a private Redis whose outbox relay is stopped, so every event a round committed is
 * still in the outbox to be read. The clock is ten days ahead: the scheduler's own rounds are all
 * past their deadline and skipped.
 */
describe('maintenance windows hold incidents back', () => {
  const clock = new TestClock(0);
  let redis: PrivateRedis;
  let coordinators: TestCoordinator[] = [];
  let client: Redis;
  const [a, b] = [randomRegion('mw-a'), randomRegion('mw-b')];
  let base = 0;
  const at = (round: number) => base + round * INTERVAL_MS;

  const request = async <T>(path: string, init: { method?: string; json?: unknown } = {}, status = 200): Promise<T> => {
    const response = await coordinators[0]!.request(path, init);
    expect(response.status, `${path}: ${await response.clone().text()}`).toBe(status);
    return (await response.json()) as T;
  };

  async function createMonitor(name: string): Promise<string> {
    const created = await request<{ id: string }>(
      '/v1/monitors',
      { method: 'POST', json: { name, url: URL, regions: [a, b], intervalSeconds: 30, incidents: { openAfter: 2, resolveAfter: 2 } } },
      201,
    );
    return created.id;
  }

  async function apply(monitorId: string, round: number, report: () => RegionReport): Promise<void> {
    const scheduledAt = at(round);
    const summary: RoundSummary = {
      roundId: `${monitorId}-${scheduledAt}`,
      monitorId,
      scheduledAt,
      deadline: scheduledAt + 10_000,
      finalizedAt: scheduledAt + 50,
      finalizedBy: 'all_answered',
      complete: true,
      regions: { [a]: report(), [b]: report() },
    };
    expect(await coordinators[0]!.app.get(IncidentTransitions, { strict: false }).apply(summary)).toBe('applied');
  }

  async function outbox(): Promise<OutboxEvent[]> {
    const events: OutboxEvent[] = [];
    for (let shard = 0; shard < STATE_SHARDS; shard++) {
      for (const [, fields] of await client.xrange(coordinatorKeys.outbox(shard), '-', '+')) {
        const json = fields[fields.indexOf('event') + 1];
        if (json) events.push(JSON.parse(json) as OutboxEvent);
      }
    }
    return events;
  }

  const eventsOf = async (monitorId: string) => (await outbox()).filter((event) => event.data.monitor?.id === monitorId).map((event) => event.type);

  async function window(monitorId: string, from: number, to: number): Promise<string> {
    const body = { monitorIds: [monitorId], startsAt: new Date(from).toISOString(), endsAt: new Date(to).toISOString(), reason: 'database upgrade' };
    return (await request<{ id: string }>('/v1/maintenance', { method: 'POST', json: body }, 201)).id;
  }

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    base = Math.ceil((Date.now() + 10 * 86_400_000) / 3_600_000) * 3_600_000;
    clock.at = base - 60_000;
    // Two coordinators on one Redis; events passes are driven by the test (the timer is 5 minutes).
    for (let i = 0; i < 2; i++) coordinators.push(await startTestCoordinator({ clock, redisUrl: redis.url, maintenanceEventsIntervalMs: 300_000 }));
    for (const coordinator of coordinators) await coordinator.app.get(OutboxRelay, { strict: false }).stop();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  }, 30_000);

  afterAll(async () => {
    for (const coordinator of coordinators) await coordinator.close();
    coordinators = [];
    await client?.quit();
    await redis?.stop();
  });

  it('opens nothing for a failure inside the window, and opens at its end with the real start when the failure holds', async () => {
    const monitorId = await createMonitor('held');
    const windowId = await window(monitorId, at(2) - 1_000, at(6) - 1_000);
    await apply(monitorId, 0, up);
    await apply(monitorId, 1, up);
    for (let round = 2; round <= 5; round++) await apply(monitorId, round, down);

    // Four failing rounds in the window (the machine wants two): no incident, nothing in the outbox.
    const during = await request<{ items: IncidentView[] }>(`/v1/incidents?monitorId=${monitorId}`);
    expect(during.items).toEqual([]);
    expect(await eventsOf(monitorId)).toEqual([]);

    // The first round after the window, still failing: the incident opens now, started when the trouble did.
    await apply(monitorId, 6, down);
    const after = await request<{ items: IncidentView[] }>(`/v1/incidents?monitorId=${monitorId}`);
    expect(after.items).toHaveLength(1);
    expect(after.items[0]).toMatchObject({ state: 'open', startedAt: new Date(at(2)).toISOString(), openedAt: new Date(at(6)).toISOString(), maintenance: null });
    expect(await eventsOf(monitorId)).toEqual(['incident.opened']);

    // Uptime shows the window: its rounds are maintenance, not down, and out of the ratio.
    clock.at = at(7);
    const uptime = await request<UptimeReport>(`/v1/monitors/${monitorId}/uptime?window=1h`);
    expect(uptime.maintenanceMinutes).toBe(2);
    expect(uptime.rounds).toEqual({ counted: 3, up: 2, down: 1, excluded: 4 });
    expect(uptime.excluded.reason).toContain('maintenance');

    // The window is listed as past, not active.
    const active = await request<{ items: { id: string }[] }>(`/v1/maintenance?active=true&monitorId=${monitorId}`);
    expect(active.items).toEqual([]);
    const all = await request<{ items: { id: string; active: boolean }[] }>(`/v1/maintenance?monitorId=${monitorId}`);
    expect(all.items).toMatchObject([{ id: windowId, active: false }]);
  });

  it('keeps an incident open before the window open, marks it, and sends nothing until it resolves', async () => {
    const monitorId = await createMonitor('marked');
    await window(monitorId, at(2) - 1_000, at(4) - 1_000);
    await apply(monitorId, 0, down);
    await apply(monitorId, 1, down);
    expect(await eventsOf(monitorId)).toEqual(['incident.opened']);
    const [open] = (await request<{ items: IncidentView[] }>(`/v1/incidents?monitorId=${monitorId}`)).items;

    await apply(monitorId, 2, down);
    const marked = await request<IncidentDetailView>(`/v1/incidents/${open!.id}`);
    expect(marked).toMatchObject({ state: 'open', maintenance: { since: new Date(at(2)).toISOString(), reason: 'database upgrade' } });
    expect(marked.timeline.map((entry) => entry.type)).toEqual(['incident.opened', 'maintenance.entered']);
    await apply(monitorId, 3, down);
    expect(await eventsOf(monitorId)).toEqual(['incident.opened']);

    await apply(monitorId, 4, down);
    const unmarked = await request<IncidentDetailView>(`/v1/incidents/${open!.id}`);
    expect(unmarked.maintenance).toBeNull();
    expect(unmarked.timeline.map((entry) => entry.type)).toEqual(['incident.opened', 'maintenance.entered', 'maintenance.left']);
    expect(await eventsOf(monitorId)).toEqual(['incident.opened']);
  });

  it('sends maintenance.started and .ended once per occurrence, across coordinators', async () => {
    const monitorId = await createMonitor('events');
    const windowId = await window(monitorId, at(20), at(22));
    clock.at = at(21);
    const [first, second] = coordinators.map((coordinator) => coordinator.app.get(MaintenanceEvents, { strict: false }));
    const started = await Promise.all([first!.pass(), second!.pass()]);
    expect(started.flat().filter((event) => event.data.maintenance.id === windowId).map((event) => event.type)).toEqual(['maintenance.started']);
    clock.at = at(23);
    const ended = await Promise.all([second!.pass(), first!.pass()]);
    expect(ended.flat().filter((event) => event.data.maintenance.id === windowId).map((event) => event.type)).toEqual(['maintenance.ended']);
    const inOutbox = (await outbox()).filter((event) => event.data.maintenance?.id === windowId);
    expect(inOutbox.map((event) => event.type)).toEqual(['maintenance.started', 'maintenance.ended']);
  });

  it('validates with field paths', async () => {
    const monitorId = await createMonitor('validated');
    const problem = await request<{ issues: { path: string; message: string }[] }>(
      '/v1/maintenance',
      { method: 'POST', json: { monitorIds: [monitorId, 'mon_aaaaaaaaaaaaaaaaaaaa'], durationMinutes: 30, reason: 'x' } },
      400,
    );
    expect(problem.issues.map((issue) => issue.path)).toEqual(['monitorIds.1']);
    const both = await request<{ issues: { path: string }[] }>(
      '/v1/maintenance',
      { method: 'POST', json: { labels: { team: 'payments' }, monitorIds: [monitorId], endsAt: '2026-01-01T00:00:00Z', durationMinutes: 5, reason: 'x' } },
      400,
    );
    expect(both.issues.map((issue) => issue.path)).toEqual(['labels', 'durationMinutes']);
  });
});
