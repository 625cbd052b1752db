/**
 * A maintenance window over an origin failure, end to end as separate processes on real Redis: a
 * coordinator, an agent in each of two regions, a webhook receiver that verifies every signature.
 * The origin fails while the window is in effect: rounds still run and are recorded, nothing is
 * sent. The window ends with the failure holding: `incident.opened` arrives then, its incident
 * started when the failure did. The receiver subscribes to `maintenance.*` too, and gets each once.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, sleep, waitUntil } from './support/net';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

const TOKEN = 'e2e-token-maintenance-0123456789';
const ORIGIN_HOST = '127.0.0.151';
const RECEIVER_HOST = '127.0.0.152';
const REGIONS = ['mw-east', 'mw-west'] as const;
/** How long the window lasts: long enough for several failing rounds (1 s apart) to be held. */
const WINDOW_MS = 7_000;

let redis: SuiteRedis;
let coordinator: Coordinator;
let api: ApiClient;
let origin: Server;
let receiver: WebhookReceiver;
let failing = false;
let originUrl = '';

beforeAll(async () => {
  redis = await startSuiteRedis();
  const port = await freePort(ORIGIN_HOST);
  origin = createServer((_request, response) => {
    if (failing) response.writeHead(503, { 'content-type': 'text/plain' }).end('database unavailable');
    else response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => origin.listen(port, ORIGIN_HOST, resolve));
  receiver = await startWebhookReceiver({ host: RECEIVER_HOST });
  coordinator = await startCoordinator({ redis: redis.target, token: TOKEN, name: 'coordinator-maintenance', env: { MAINTENANCE_EVENTS_INTERVAL: '500ms' } });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  for (const region of REGIONS) startAgent({ redis: redis.target, region, agentId: `${region}-1` });
  const webhook = await api.post<{ secret: string }>('/v1/webhooks', {
    url: receiver.url,
    events: ['incident.opened', 'incident.updated', 'incident.resolved', 'maintenance.started', 'maintenance.ended'],
  });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  receiver.setSecret(webhook.body.secret);
  originUrl = `http://${ORIGIN_HOST}:${port}/health`;
}, 60_000);

afterAll(async () => {
  await stopAllSystemProcesses();
  await receiver?.close();
  await new Promise<void>((resolve) => origin?.close(() => resolve()));
  await redis?.stop();
});

describe('a maintenance window over an origin failure', () => {
  it('sends nothing during the window, and incident.opened after it while the failure holds', async () => {
    const url = originUrl;
    const created = await api.post<{ id: string }>('/v1/monitors', {
      name: 'checkout',
      url,
      regions: [...REGIONS],
      intervalSeconds: 1,
      timeoutMs: 1_000,
      incidents: { openAfter: 2, resolveAfter: 2 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const monitorId = created.body.id;
    await waitUntil(
      'a round with every region up',
      async () => {
        const status = await api.get<{ regions: Record<string, { status: string }> }>(`/v1/monitors/${monitorId}/status`);
        return REGIONS.every((region) => status.body.regions[region]?.status === 'up') ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );

    // Ad hoc: from now, for WINDOW_MS. Then the origin fails.
    const endsAt = Date.now() + WINDOW_MS;
    const window = await api.post<{ id: string; active: boolean }>('/v1/maintenance', { monitorIds: [monitorId], endsAt: new Date(endsAt).toISOString(), reason: 'database failover drill' });
    expect(window.status, JSON.stringify(window.body)).toBe(201);
    expect(window.body.active).toBe(true);
    const failedAt = Date.now();
    failing = true;

    // Until the window ends: the rounds are recorded as down, no incident exists, the receiver gets no incident event.
    await sleep(Math.max(0, endsAt - Date.now()));
    const incidentEvents = () => receiver.events().filter((event) => event.type.startsWith('incident.'));
    expect(incidentEvents()).toEqual([]);
    expect((await api.get<{ items: unknown[] }>(`/v1/incidents?monitorId=${monitorId}`)).body.items).toEqual([]);
    const results = await api.get<{ items: { status: string; scheduledAt: string }[] }>(`/v1/monitors/${monitorId}/results?limit=200`);
    const downInWindow = results.body.items.filter((item) => item.status === 'down' && Date.parse(item.scheduledAt) < endsAt);
    expect(downInWindow.length).toBeGreaterThanOrEqual(2 * REGIONS.length);

    // The window over, the failure holding: the incident opens at the next round, started when the failure did.
    const opened = await waitUntil('incident.opened at the receiver', async () => incidentEvents().find((event) => event.type === 'incident.opened'), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    const incident = opened.data['incident'] as { startedAt: string; openedAt: string };
    expect(Date.parse(opened.timestamp)).toBeGreaterThanOrEqual(endsAt);
    expect(Date.parse(incident.openedAt)).toBeGreaterThanOrEqual(endsAt);
    expect(Date.parse(incident.startedAt)).toBeLessThan(endsAt);
    expect(Date.parse(incident.startedAt)).toBeGreaterThanOrEqual(failedAt - 1_000);
    expect(incidentEvents().map((event) => event.type)).toEqual(['incident.opened']);

    // The window's own events, once each, in order.
    await waitUntil('maintenance.ended at the receiver', async () => receiver.events().find((event) => event.type === 'maintenance.ended'), { timeoutMs: 5_000, intervalMs: 100 });
    const maintenance = receiver.events().filter((event) => event.type.startsWith('maintenance.'));
    expect(maintenance.map((event) => [event.type, (event.data['maintenance'] as { id: string }).id])).toEqual([
      ['maintenance.started', window.body.id],
      ['maintenance.ended', window.body.id],
    ]);
    expect(receiver.rejected()).toEqual([]);
    expect(receiver.duplicates()).toBe(0);
  }, 45_000);
});
