/**
 * Failover on a real Redis Cluster (3 masters, 3 replicas), end to end: a coordinator and agents
 * in three regions on the cluster, monitors healthy for a few rounds; then the master that holds
 * one region's keys is SIGKILLed, its replica takes over, and at the same moment one target goes
 * down, so its incident opens while (or just after) the cluster fails over, and resolves after.
 *
 * It asserts that the system carries on: new complete rounds for every monitor after the
 * promotion; no round stored twice; every event the coordinator emitted delivered exactly once per
 * webhook-id (the receiver fails each message's first attempt, so retries cross the failover
 * too); no incident on the healthy monitors; and the killed node rejoins as a replica without a
 * hitch. It prints its figures.
 */
import { agentsKey, CATALOG_PREFIX } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './support/net';
import { startOrigin, type Origin } from './support/origin';
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
import { startRedisCluster, type TestRedisCluster } from './support/redis-cluster';
import { connectTo } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

const TOKEN = 'failover-token-0123456789abcdef';
const REGIONS = ['fo-a', 'fo-b', 'fo-c'] as const;
const HEALTHY_HOST = '127.0.0.131';
const FRAGILE_HOST = '127.0.0.132';
const RECEIVER_HOST = '127.0.0.133';
/**
 * Short webhook retries, so a delivery that failed during the failover is caught up within the
 * suite; and a short circuit cool-down: the receiver fails every first attempt, which opens the
 * endpoint's circuit (5 failures in a row) for a minute by default.
 */
const COORDINATOR_ENV: Record<string, string> = {
  WEBHOOK_RETRY_SCHEDULE: '0,1s,1s,2s,2s,3s,5s,5s,5s,10s,10s,10s',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_CIRCUIT_COOLDOWN: '2s',
};

let cluster: TestRedisCluster;
let healthy: Origin;
let fragile: Origin;
let receiver: WebhookReceiver;
let coordinator: Coordinator;
let api: ApiClient;
let webhookId = '';
const monitors: Record<'healthyJson' | 'healthyPage' | 'fragile', string> = { healthyJson: '', healthyPage: '', fragile: '' };

/** What a failing wait reports besides its own message: the webhook queue's counts and the coordinator's /health. */
async function diagnostics(): Promise<string> {
  const client = connectTo({ clusterNodes: cluster.nodes });
  const queue = new Queue('webhook-deliveries', { connection: client, prefix: CATALOG_PREFIX });
  try {
    const counts = await queue.getJobCounts();
    const [earliest] = await queue.getDelayed(0, 0);
    const due = earliest === undefined ? 'none' : `${earliest.timestamp + earliest.delay - Date.now()} ms from now (${earliest.id}, attempts ${earliest.attemptsMade})`;
    const health = await api.get('/health');
    return `webhook-deliveries ${JSON.stringify(counts)}, earliest delayed due ${due}; /health ${health.status} ${JSON.stringify(health.body)}`;
  } catch (error) {
    return `diagnostics failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await queue.close();
    client.disconnect();
  }
}

/** `waitUntil`, with {@link diagnostics} on failure. */
async function waitOrExplain<T>(description: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  try {
    return await waitUntil(description, probe, { timeoutMs, intervalMs: 250 });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await diagnostics()}`);
  }
}

async function completeRounds(monitorId: string, after: number): Promise<number> {
  return completeRoundsAfter(await history(api, monitorId), after, REGIONS);
}

async function waitForCompleteRounds(description: string, after: number, ids: readonly string[], count = 3): Promise<void> {
  await waitUntil(
    description,
    async () => ((await Promise.all(ids.map((id) => completeRounds(id, after)))).every((n) => n >= count) ? true : undefined),
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

beforeAll(async () => {
  cluster = await startRedisCluster();
  healthy = await startOrigin({ host: HEALTHY_HOST });
  fragile = await startOrigin({ host: FRAGILE_HOST });
  receiver = await startWebhookReceiver({ host: RECEIVER_HOST, failFirstAttempts: 1 });
  const redis = { clusterNodes: cluster.nodes };
  coordinator = await startCoordinator({ redis, token: TOKEN, name: 'coordinator-failover', env: COORDINATOR_ENV });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  const webhook = await api.post<{ id: string; secret: string }>('/v1/webhooks', { url: receiver.url });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  webhookId = webhook.body.id;
  receiver.setSecret(webhook.body.secret);
  for (const region of REGIONS) startAgent({ redis, region, agentId: `${region}-1` });
  startAgent({ redis, region: 'fo-a', agentId: 'fo-a-2' });

  const create = async (name: string, url: string): Promise<string> => {
    const created = await api.post<{ id: string }>('/v1/monitors', { name, url, regions: [...REGIONS], intervalSeconds: 1, timeoutMs: 1_000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };
  monitors.healthyJson = await create('healthy health document', `${healthy.origin}/health`);
  monitors.healthyPage = await create('healthy page', healthy.url);
  monitors.fragile = await create('goes down during the failover', `${fragile.origin}/health`);
}, 120_000);

afterAll(async () => {
  await stopAllSystemProcesses();
  await receiver?.close();
  await healthy?.close();
  await fragile?.close();
  await cluster?.stop();
});

describe('failover on a Redis Cluster', () => {
  it('carries on when the master holding a region is SIGKILLed: rounds resume, no event lost or doubled, no round stored twice', async () => {
    const startedAt = Date.now();
    await waitForCompleteRounds('healthy rounds for every monitor before the failover', startedAt - 60_000, Object.values(monitors));

    // The master that serves region fo-a's keys (its queues, its agents' heartbeats).
    const regionMaster = await cluster.masterOf(agentsKey('fo-a'));
    const killedAt = Date.now();
    const killed = await cluster.killMaster(regionMaster.address);
    await fragile.stop();
    const promoted = await cluster.waitForPromotion(killed);
    const promotedAt = Date.now();

    // The fragile target's outage opens during or after the failover and reaches the receiver.
    const opened = await waitOrExplain(
      'the fragile outage to open and reach the receiver',
      async () => receiver.events().find((event) => event.type === 'incident.opened' && monitorOf(event) === monitors.fragile),
      60_000,
    );
    expect((opened.data['classification'] as { after: string }).after).toBe('outage');
    await fragile.start();
    await waitOrExplain(
      'the fragile incident to resolve and reach the receiver',
      async () => receiver.events().find((event) => event.type === 'incident.resolved' && monitorOf(event) === monitors.fragile),
      60_000,
    );
    await waitForCompleteRounds('complete rounds for every monitor after the promotion', promotedAt, Object.values(monitors));

    // The killed node comes back as a replica of its successor; the system does not notice.
    await cluster.restartNode(killed.address);
    const rejoinedAt = Date.now();
    expect((await cluster.masters()).find((master) => master.address === promoted.address)?.replicas.map((replica) => replica.address)).toContain(killed.address);
    await waitForCompleteRounds('complete rounds after the old master rejoined', rejoinedAt, Object.values(monitors), 2);

    // ---- What the system says happened.
    const incidents = await incidentsOf(api, monitors.fragile);
    const timelines = new Map<string, TimelineEntry[]>();
    for (const incident of incidents) timelines.set(incident.id, await timeline(api, incident.id));
    const attempts = (await api.get<{ items: DeliveryAttemptView[] }>(`/v1/webhooks/${webhookId}/deliveries?limit=500`)).body.items;
    await waitUntil(
      'every event the coordinator emitted or tried to deliver to reach the receiver',
      async () => {
        const received = new Set(receiver.events().map((event) => event.webhookId));
        const owed = [...new Set([...[...timelines.values()].flat().map((entry) => entry.eventId), ...attempts.map((attempt) => attempt.eventId)])];
        return owed.every((id) => received.has(id)) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const events = receiver.events();
    const histories = new Map<string, ResultItem[]>();
    for (const [name, id] of Object.entries(monitors)) histories.set(name, await history(api, id));
    const all = [...histories.values()].flat();
    const missingDuringFailover = all.filter((item) => item.status === 'missing' && Date.parse(item.scheduledAt) >= killedAt - 2_000 && Date.parse(item.scheduledAt) <= promotedAt).length;
    console.log(
      [
        `cluster failover figures: master ${killed.address} (region fo-a's keys) SIGKILLed, ${promoted.address} promoted after ${promotedAt - killedAt} ms`,
        `  rounds: ${new Set(all.map((item) => item.roundId)).size} (results stored: ${all.length}, late: ${all.filter((item) => item.late).length}, missing around the failover: ${missingDuringFailover})`,
        `  after the promotion: ${(await Promise.all(Object.values(monitors).map((id) => completeRounds(id, promotedAt)))).join('/')} complete rounds per monitor`,
        `  deliveries: ${events.length} events accepted (${countByType(events)}), ${receiver.attempts()} attempts received, ${attempts.length} recorded by the coordinator`,
        `  duplicates: ${receiver.duplicates()} re-deliveries of an accepted webhook-id; ${doubledEvents(events)} events sent twice under two webhook-ids`,
      ].join('\n'),
    );

    // ---- No incident on the healthy monitors; the fragile one opened and resolved, each event delivered once.
    expect(await incidentsOf(api, monitors.healthyJson)).toEqual([]);
    expect(await incidentsOf(api, monitors.healthyPage)).toEqual([]);
    expect(events.filter((event) => event.type.startsWith('incident.') && monitorOf(event) !== monitors.fragile)).toEqual([]);
    expect(incidents.length).toBeGreaterThanOrEqual(1);
    expectIncidentsDeliveredOnce(incidents, timelines, events, receiver.rejected());
    expect(receiver.duplicates()).toBe(0);
    expect(doubledEvents(events)).toBe(0);
    expectRegionEventsAlternate(events);

    // ---- No round stored twice.
    for (const [name, items] of histories) expectNoRoundStoredTwice(name, items);
    expect(coordinator.running()).toBe(true);
  });
});
