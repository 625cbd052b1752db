/**
 * Chaos, end to end, on real processes and a real Redis with AOF: two coordinators, agents in
 * three regions, healthy targets, and one region whose path to one target is broken (its agent
 * resolves the host to a dead address), so that target's regional outage is a real transition.
 * Then, while the API is polled without pause: agents SIGKILLed and restarted, a coordinator
 * SIGKILLed while the other runs, Redis SIGKILLed and restarted from its AOF, and the webhook
 * receiver down while the broken path is mended (the incident resolves meanwhile).
 *
 * It asserts what an ops team needs to trust: no incident on targets that stayed healthy; every
 * real transition delivered under one webhook-id, none lost, none sent twice as two events; no
 * round stored twice; the API never answered a 5xx other than an honest 503. It prints its figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiPoller, type PollReport } from './support/api-poller';
import { sleep, waitUntil } from './support/net';
import { startOrigin, type Origin } from './support/origin';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator, type SystemProcess } from './support/system';
import {
  completeRoundsAfter,
  countByType,
  doubledEvents,
  expectIncidentsDeliveredOnce,
  expectNoRoundStoredTwice,
  expectRegionEventsAlternate,
  history,
  incidentsOf,
  monitorOf,
  timeline,
  type DeliveryAttemptView,
  type ResultItem,
  type TimelineEntry,
} from './support/outcomes';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

const TOKEN = 'chaos-token-0123456789abcdef';
const REGIONS = ['cx-a', 'cx-b', 'cx-c'] as const;
type Region = (typeof REGIONS)[number];
const ORIGIN_HOST = '127.0.0.121';
const RECEIVER_HOST = '127.0.0.122';
/** Nothing listens here: the broken region's path to the `regional` target ends in a refused connection. */
const DEAD_HOST = '127.0.0.123';
const REGIONAL_HOST = 'regional.chaos.test';

/**
 * Short webhook retries, so a receiver down for a while is caught up within the suite. Both the
 * retry schedule (`WEBHOOK_RETRY_SCHEDULE`) and the older base delay are given: the config reads
 * the one it knows and ignores the other.
 */
const COORDINATOR_ENV: Record<string, string> = {
  WEBHOOK_RETRY_SCHEDULE: '0,1s,2s,2s,3s,5s,5s,5s,10s,10s,10s,10s,10s,10s,10s',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
};

let redis: SuiteRedis;
let origin: Origin;
let receiver: WebhookReceiver;
let webhookId = '';
const coordinators: Record<'a' | 'b', { process: Coordinator; up: boolean }> = {} as Record<'a' | 'b', { process: Coordinator; up: boolean }>;
const agents = new Map<string, { region: Region; process: SystemProcess }>();
const monitors: Record<'healthyJson' | 'healthyPage' | 'regional', string> = { healthyJson: '', healthyPage: '', regional: '' };
const figures = { kills: 0, restarts: 0, redisKills: 0, receiverDowntimeMs: 0 };
let poller: ApiPoller;
let pollReport: PollReport | undefined;

function resolveFor(region: Region, broken: boolean): string {
  return `${REGIONAL_HOST}:${origin.port}:${region === 'cx-c' && broken ? DEAD_HOST : ORIGIN_HOST}`;
}

function launchAgent(id: string, region: Region, broken = true): void {
  agents.set(id, { region, process: startAgent({ redis: redis.target, region, agentId: id, resolve: resolveFor(region, broken) }) });
}

async function launchCoordinator(name: 'a' | 'b'): Promise<void> {
  const process = await startCoordinator({ redis: redis.target, token: TOKEN, name: `coordinator-chaos-${name}`, env: COORDINATOR_ENV });
  coordinators[name] = { process, up: true };
}

/** The API of whichever coordinator is up. */
function api(): ApiClient {
  const live = coordinators.b?.up ? coordinators.b : coordinators.a;
  return new ApiClient(live.process.baseUrl, TOKEN);
}

async function kill(id: string): Promise<void> {
  const agent = agents.get(id);
  if (!agent) throw new Error(`no agent ${id}`);
  await agent.process.kill();
  figures.kills += 1;
}

async function restartAgent(id: string, broken = true): Promise<void> {
  const agent = agents.get(id);
  if (!agent) throw new Error(`no agent ${id}`);
  launchAgent(id, agent.region, broken);
  figures.restarts += 1;
}

async function freshRounds(monitorId: string, after: number, regions: readonly string[] = REGIONS): Promise<number> {
  return completeRoundsAfter(await history(api(), monitorId), after, regions);
}

async function waitForFreshRounds(description: string, after: number, count = 2, regions: readonly string[] = REGIONS): Promise<void> {
  await waitUntil(
    description,
    async () => {
      const counts = await Promise.all(Object.values(monitors).map((id) => freshRounds(id, after, regions)));
      return counts.every((n) => n >= count) ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

beforeAll(async () => {
  redis = await startSuiteRedis({ persistent: true, source: 'binary' });
  origin = await startOrigin({ host: ORIGIN_HOST });
  receiver = await startWebhookReceiver({ host: RECEIVER_HOST });
  await launchCoordinator('a');
  await launchCoordinator('b');
  const webhook = await api().post<{ id: string; secret: string }>('/v1/webhooks', { url: receiver.url });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  webhookId = webhook.body.id;
  receiver.setSecret(webhook.body.secret);

  launchAgent('cx-a-1', 'cx-a');
  launchAgent('cx-a-2', 'cx-a');
  launchAgent('cx-b-1', 'cx-b');
  launchAgent('cx-c-1', 'cx-c');

  const create = async (name: string, url: string): Promise<string> => {
    const created = await api().post<{ id: string }>('/v1/monitors', { name, url, regions: [...REGIONS], intervalSeconds: 1, timeoutMs: 2_000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };
  monitors.healthyJson = await create('healthy health document', `${origin.origin}/health`);
  monitors.healthyPage = await create('healthy page', origin.url);
  monitors.regional = await create('regional (broken path in cx-c)', `http://${REGIONAL_HOST}:${origin.port}/health`);

  poller = new ApiPoller(
    [
      { baseUrl: () => coordinators.a.process.baseUrl, up: () => coordinators.a.up },
      { baseUrl: () => coordinators.b.process.baseUrl, up: () => coordinators.b.up },
    ],
    TOKEN,
    () => [
      '/health',
      `/v1/monitors/${monitors.regional}/status`,
      `/v1/monitors/${monitors.healthyJson}/results?limit=20`,
      '/v1/incidents?limit=20',
      `/v1/monitors/${monitors.healthyPage}`,
      '/v1/agents',
      `/v1/webhooks/${webhookId}/deliveries?limit=20`,
    ],
    { intervalMs: 50 },
  );
}, 120_000);

afterAll(async () => {
  await poller?.stop();
  await stopAllSystemProcesses();
  await receiver?.close();
  await origin?.close();
  await redis?.stop();
});

describe('chaos', () => {
  it('survives agents, a coordinator and Redis killed, and the webhook receiver down, without losing or doubling anything', async () => {
    const startedAt = Date.now();

    // The broken path is a real regional outage: it opens, and is delivered, before any chaos.
    const opened = await waitUntil(
      'the regional outage to open and reach the receiver',
      async () => receiver.events().find((event) => event.type === 'incident.opened' && monitorOf(event) === monitors.regional),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    expect((opened.data['classification'] as { after: string }).after).toBe('regional_outage');
    expect((opened.data['incident'] as { affectedRegions: string[] }).affectedRegions).toEqual(['cx-c']);
    poller.start();

    // An agent of a region with two: SIGKILL, then back.
    await kill('cx-a-1');
    await sleep(3_000);
    await restartAgent('cx-a-1');

    // The only agent of a region: SIGKILL; the region goes blind (an event), then back.
    await kill('cx-b-1');
    await sleep(5_000);
    await restartAgent('cx-b-1');
    await waitForFreshRounds('complete rounds once cx-b is back', Date.now());

    // A coordinator SIGKILLed while the other runs; the survivor carries on alone for a while.
    coordinators.a.up = false;
    await coordinators.a.process.kill();
    figures.kills += 1;
    const coordinatorKilledAt = Date.now();
    await sleep(4_000);
    await waitForFreshRounds('rounds with one coordinator left', coordinatorKilledAt);
    await launchCoordinator('a');
    figures.restarts += 1;

    // Redis SIGKILLed, then started again from its AOF.
    await redis.crash();
    figures.redisKills += 1;
    await sleep(3_000);
    await redis.start();
    figures.restarts += 1;
    const redisBackAt = Date.now();
    await waitForFreshRounds('complete rounds after Redis came back from its AOF', redisBackAt);
    for (const id of Object.values(monitors)) expect((await api().get(`/v1/monitors/${id}`)).status).toBe(200);

    // The receiver goes down, and while it is down the broken path is mended: the incident resolves.
    await receiver.stop();
    const receiverDownAt = Date.now();
    await kill('cx-c-1');
    await restartAgent('cx-c-1', false);
    await waitUntil(
      'the regional incident to resolve',
      async () => ((await incidentsOf(api(), monitors.regional)).every((incident) => incident.state === 'resolved') ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    // Let the deliveries of the resolution fail before the receiver returns (unless the coordinator
    // holds them back itself, as a circuit breaker does: then no attempt is made while it is down).
    const sawFailedAttempt = await waitUntil(
      'the resolution to fail delivery at least once',
      async () => {
        const deliveries = await api().get<{ items: DeliveryAttemptView[] }>(`/v1/webhooks/${webhookId}/deliveries?limit=50`);
        return deliveries.body.items.some((attempt) => attempt.type === 'incident.resolved' && attempt.outcome !== 'succeeded') ? true : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    ).then(
      () => true,
      () => false,
    );
    await sleep(2_000);
    await receiver.start();
    figures.receiverDowntimeMs = Date.now() - receiverDownAt;

    await waitUntil(
      'incident.resolved to reach the receiver once it is back',
      async () => receiver.events().find((event) => event.type === 'incident.resolved' && monitorOf(event) === monitors.regional),
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    await waitForFreshRounds('complete rounds at the end', Date.now());
    pollReport = await poller.stop();

    // ---- What the system says happened.
    const incidents = await incidentsOf(api(), monitors.regional);
    const timelines = new Map<string, TimelineEntry[]>();
    for (const incident of incidents) timelines.set(incident.id, await timeline(api(), incident.id));
    const emitted = [...timelines.values()].flat();
    // Every event with an attempt, whatever its outcome: the ones that failed must be caught up too.
    const attempts = (await api().get<{ items: DeliveryAttemptView[] }>(`/v1/webhooks/${webhookId}/deliveries?limit=500`)).body.items;
    await waitUntil(
      'every event the coordinators delivered or tried to deliver to reach the receiver',
      async () => {
        const received = new Set(receiver.events().map((event) => event.webhookId));
        const owed = [...new Set([...emitted.map((entry) => entry.eventId), ...attempts.map((attempt) => attempt.eventId)])];
        return owed.every((id) => received.has(id)) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const events = receiver.events();

    // ---- Figures.
    const histories = new Map<string, ResultItem[]>();
    for (const [name, id] of Object.entries(monitors)) histories.set(name, await history(api(), id));
    const rounds = new Set([...histories.values()].flat().map((item) => item.roundId));
    const late = [...histories.values()].flat().filter((item) => item.late).length;
    const report = pollReport;
    console.log(
      [
        `chaos figures (${Math.round((Date.now() - startedAt) / 1_000)} s of chaos):`,
        `  rounds: ${rounds.size} (results stored: ${[...histories.values()].reduce((n, items) => n + items.length, 0)}, late: ${late}); incidents of the broken target: ${incidents.length}`,
        `  kills: ${figures.kills} SIGKILLs of agents and coordinators, ${figures.redisKills} of Redis; restarts: ${figures.restarts}`,
        `  webhook receiver down for ${figures.receiverDowntimeMs} ms (the resolution failed delivery meanwhile: ${sawFailedAttempt})`,
        `  deliveries: ${events.length} events accepted (${countByType(events)}), ${receiver.attempts()} attempts received, ${attempts.length} attempts recorded by the coordinators`,
        `  duplicates: ${receiver.duplicates()} re-deliveries of an accepted webhook-id; ${doubledEvents(events)} events sent twice under two webhook-ids`,
        `  API during chaos: ${report.requests} requests, by status ${JSON.stringify(report.byStatus)}, honest 503s ${report.honest503}, ` +
          `other 5xx ${report.serverErrors.length}, hangs ${report.hangs.length}, refused by a killed coordinator ${report.refused}, max latency ${report.maxLatencyMs} ms`,
      ].join('\n'),
    );

    // ---- No incident on the monitors whose targets stayed healthy.
    expect(await incidentsOf(api(), monitors.healthyJson)).toEqual([]);
    expect(await incidentsOf(api(), monitors.healthyPage)).toEqual([]);
    expect(events.filter((event) => event.type.startsWith('incident.') && monitorOf(event) !== monitors.regional)).toEqual([]);

    // ---- The regional outage: opened on cx-c, resolved once mended, each transition delivered under
    // one webhook-id. (A region that goes silent is blind, not down: if chaos silenced cx-c for
    // `resolveAfter` rounds before the mend, the incident may have resolved and opened again. Those
    // are transitions too, and each must be delivered like the others.)
    expect(incidents.length).toBeGreaterThanOrEqual(1);
    const first = [...incidents].sort((x, y) => x.id.localeCompare(y.id))[0];
    expect(first).toMatchObject({ classification: 'regional_outage', affectedRegions: ['cx-c'] });
    expectIncidentsDeliveredOnce(incidents, timelines, events, receiver.rejected());

    // ---- Region events: blind and restored alternate per monitor and region (a second blind would be one event sent twice).
    expectRegionEventsAlternate(events);
    const regionEvents = events.filter((event) => event.type === 'region.blind' || event.type === 'region.restored');
    expect(regionEvents.some((event) => event.data['region'] === 'cx-b'), 'the blind cx-b was reported').toBe(true);

    // ---- No round stored twice: one on-time result per (round, region); a late one only after a missing one.
    for (const [name, items] of histories) expectNoRoundStoredTwice(name, items);

    // ---- The API answered throughout, never with a 5xx other than an honest 503.
    expect(report.requests).toBeGreaterThan(100);
    expect(report.serverErrors).toEqual([]);
    expect(report.hangs).toEqual([]);
    expect(report.refusedWhileUp).toEqual([]);
    expect(coordinators.a.process.running() && coordinators.b.process.running()).toBe(true);
  });
});
