/**
 * The lying internet, end to end: a local origin, a caching edge that serves stale content when
 * the origin fails, a load balancer that serves its error page as 200, and agents in three
 * regions that reach them by different routes (resolve overrides on 127.0.90.x). Each scenario is
 * asserted through the API (classification, incidents) and through the webhooks a team receives,
 * verified with the independent `standardwebhooks` package by a receiver that fails the first two
 * attempts of every message. Then the same against real nginx, Varnish and HAProxy.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../apps/demo/src/world';
import { haproxyErrorfile200, nginxCacheEdge, stopAllIntermediaries, varnishGraceEdge } from './support/intermediaries';
import { freePortOnAll, waitUntil } from './support/net';
import { startOrigin, type Origin } from './support/origin';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator, type SystemProcess } from './support/system';
import { startWebhookReceiver, type ReceivedEvent, type WebhookReceiver } from './support/webhook-receiver';

const TOKEN = 'lying-internet-token-0123456789';
const REGIONS = ['eu-west', 'us-east', 'ap-south'] as const;
type Region = (typeof REGIONS)[number];
const SUBNET = '127.0.90';

interface ClassificationView {
  classification: string;
  affectedRegions: string[];
  blindRegions: string[];
  decidedBy: string[];
  reason: string;
}
interface StatusView {
  classification: ClassificationView | null;
  incident: { id: string; classification: string; state: string } | null;
  regions: Record<string, { status: string; causes: Array<{ code: string }> }>;
}

let redis: SuiteRedis;
let world: World;
let coordinator: Coordinator;
let api: ApiClient;
let receiver: WebhookReceiver;
let flappy: Server;
let realOrigin: Origin;
const agents: Partial<Record<Region, SystemProcess>> = {};
const monitors: Record<string, string> = {};
let realPort = 0;

/** Real intermediaries' routes: two regions through the edge, one straight to the origin; HAProxy for all. */
function realRoutes(region: Region): string[] {
  const viaEdge = region !== 'ap-south';
  return [
    `nginx.real.test:${realPort}:${viaEdge ? `${SUBNET}.61` : `${SUBNET}.60`}`,
    `varnish.real.test:${realPort}:${viaEdge ? `${SUBNET}.62` : `${SUBNET}.60`}`,
    `haproxy.real.test:${realPort}:${SUBNET}.63`,
  ];
}

function launchAgent(region: Region): SystemProcess {
  const resolve = [...world.resolveFor(region), ...realRoutes(region)].join(',');
  return startAgent({ redis: redis.target, region, agentId: `${region}-agent`, resolve });
}

async function status(name: string): Promise<StatusView> {
  const response = await api.get<StatusView>(`/v1/monitors/${monitors[name]}/status`);
  expect(response.status).toBe(200);
  return response.body;
}

async function waitForClassification(name: string, classification: string, timeoutMs = 40_000): Promise<StatusView> {
  return waitUntil(`${name} to be classified ${classification}`, async () => {
    const view = await status(name);
    return view.classification?.classification === classification ? view : undefined;
  }, { timeoutMs, intervalMs: 250 });
}

function eventsFor(name: string, type?: string): ReceivedEvent[] {
  return receiver.events().filter((e) => {
    const monitor = e.data['monitor'] as { id?: string } | undefined;
    return monitor?.id === monitors[name] && (type === undefined || e.type === type);
  });
}

async function waitForEvent(name: string, type: string, after: number, timeoutMs = 40_000): Promise<ReceivedEvent> {
  return waitUntil(`${type} for ${name}`, async () => eventsFor(name, type).find((e) => Date.parse(e.timestamp) >= after - 1_000 && eventsFor(name, type).indexOf(e) >= 0), {
    timeoutMs,
    intervalMs: 250,
  });
}

function classificationOf(event: ReceivedEvent): { before: string | null; after: string | null } {
  return event.data['classification'] as { before: string | null; after: string | null };
}

async function createMonitor(name: string, url: string, extra: Record<string, unknown> = {}): Promise<void> {
  const created = await api.post<{ id: string }>('/v1/monitors', { name, url, regions: [...REGIONS], intervalSeconds: 1, timeoutMs: 2000, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  monitors[name] = created.body.id;
}

beforeAll(async () => {
  redis = await startSuiteRedis({ restartable: true });
  world = await World.start({ subnet: SUBNET, shopMaxAgeSeconds: 2, lbHealthCheckIntervalMs: 500, edgeOriginTimeoutMs: 1_000 });

  realPort = await freePortOnAll([`${SUBNET}.60`, `${SUBNET}.61`, `${SUBNET}.62`, `${SUBNET}.63`]);
  realOrigin = await startOrigin({ host: `${SUBNET}.60`, port: realPort });
  await nginxCacheEdge(realOrigin, { host: `${SUBNET}.61`, port: realPort });
  await varnishGraceEdge(realOrigin, { host: `${SUBNET}.62`, port: realPort });
  await haproxyErrorfile200(realOrigin, { host: `${SUBNET}.63`, port: realPort });

  // A flapping origin: it flips between failing and healthy with every round. A round's checks
  // arrive together (one request per region, no bypass), so a request more than half an interval
  // after the last burst starts the next round.
  let burstStartedAt = 0;
  let failing = false;
  flappy = createServer((_request, response) => {
    const now = Date.now();
    if (now - burstStartedAt > 500) {
      burstStartedAt = now;
      failing = !failing;
    }
    response.writeHead(failing ? 503 : 200, { 'content-type': 'application/json' }).end(failing ? '{"status":"error","checks":{"db":{"status":"down"}}}' : '{"status":"ok"}');
  });
  await new Promise<void>((resolve) => flappy.listen(0, `${SUBNET}.70`, resolve));

  receiver = await startWebhookReceiver({ host: `${SUBNET}.80`, failFirstAttempts: 2 });
  // The receiver fails the first two attempts of every message on purpose (retries of one
  // webhook-id are what this suite checks): with events in flight together that is many failures
  // in a row, which would open the endpoint's circuit, a behaviour the webhook specs cover.
  coordinator = await startCoordinator({
    redis: redis.target,
    token: TOKEN,
    env: { WEBHOOK_RETRY_SCHEDULE: '0,100ms,200ms,400ms,800ms,1600ms,3200ms,6400ms', WEBHOOK_CIRCUIT_THRESHOLD: '1000', WEBHOOK_TIMEOUT_MS: '2000' },
  });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  const webhook = await api.post<{ id: string; secret: string }>('/v1/webhooks', { url: receiver.url });
  expect(webhook.status).toBe(201);
  expect(webhook.body.secret).toMatch(/^whsec_/);
  receiver.setSecret(webhook.body.secret);

  for (const region of REGIONS) agents[region] = launchAgent(region);
  await createMonitor('shop', world.urlOf('shop', '/'));
  await createMonitor('api', world.urlOf('api', '/health'));
  await createMonitor('www', world.urlOf('www', '/health'));
  const address = flappy.address();
  await createMonitor('flappy', `http://${SUBNET}.70:${typeof address === 'object' && address ? address.port : 0}/health`, { cacheBypass: false });
  await createMonitor('real-nginx', `http://nginx.real.test:${realPort}/`);
  await createMonitor('real-varnish', `http://varnish.real.test:${realPort}/`);
  await createMonitor('real-haproxy', `http://haproxy.real.test:${realPort}/`);
});

afterAll(async () => {
  await stopAllSystemProcesses();
  await stopAllIntermediaries();
  await realOrigin?.close();
  await world?.stop();
  await new Promise<void>((resolve) => (flappy ? flappy.close(() => resolve()) : resolve()));
  await receiver?.close();
  await redis?.stop();
});

describe('the lying internet', () => {
  it('healthy everywhere is operational, with no incident', async () => {
    for (const name of ['shop', 'api', 'www', 'real-nginx', 'real-varnish', 'real-haproxy']) await waitForClassification(name, 'operational');
    expect(receiver.events().filter((e) => e.type.startsWith('incident.'))).toEqual([]);
  });

  it('origin down behind the edge in two regions and direct in one is a masked outage', async () => {
    const failedAt = Date.now();
    await world.originDown();
    const view = await waitForClassification('shop', 'masked_outage');
    expect(view.regions['eu-west']?.causes.map((c) => c.code)).toContain('stale_cache');
    expect(view.regions['us-east']?.causes.map((c) => c.code)).toContain('stale_cache');
    expect(view.regions['ap-south']?.causes.map((c) => c.code)).toContain('connection_refused');
    const opened = await waitForEvent('shop', 'incident.opened', failedAt);
    expect(classificationOf(opened).after).toBe('masked_outage');
    const regions = opened.data['regions'] as Record<string, { causes: Array<{ code: string }>; evidence: { cache: { hit: boolean | null } } }>;
    expect(regions['eu-west']?.causes.map((c) => c.code)).toContain('stale_cache');
    expect(regions['eu-west']?.evidence.cache.hit).toBe(true);
    const incidentId = (opened.data['incident'] as { id: string }).id;
    const detail = await api.get<{ state: string; timeline: Array<{ type: string; regions: Record<string, unknown> }> }>(`/v1/incidents/${incidentId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.timeline[0]?.type).toBe('incident.opened');
    expect(Object.keys(detail.body.timeline[0]?.regions ?? {}).sort()).toEqual([...REGIONS].sort());

    const healedAt = Date.now();
    await world.originUp();
    const resolved = await waitForEvent('shop', 'incident.resolved', healedAt);
    expect((resolved.data['incident'] as { id: string }).id).toBe(incidentId);
    await waitForClassification('shop', 'operational');
    expect((await api.get<{ state: string }>(`/v1/incidents/${incidentId}`)).body.state).toBe('resolved');
  });

  it("a load balancer's page served as 200 everywhere is an outage naming lb_error_page", async () => {
    const failedAt = Date.now();
    await world.lbBackendsDown();
    const view = await waitForClassification('api', 'outage');
    expect(view.classification?.decidedBy).toContain('lb_error_page');
    const opened = await waitForEvent('api', 'incident.opened', failedAt);
    expect(classificationOf(opened).after).toBe('outage');
    const regions = opened.data['regions'] as Record<string, { evidence: { httpStatus: number | null; errorPageVendor: string | null } }>;
    expect(regions['eu-west']?.evidence.httpStatus).toBe(200);
    expect(regions['eu-west']?.evidence.errorPageVendor).toMatch(/haproxy/i);
    const healedAt = Date.now();
    await world.lbBackendsUp();
    await waitForEvent('api', 'incident.resolved', healedAt);
  });

  it("one region's broken path is a regional outage naming that region", async () => {
    const failedAt = Date.now();
    await world.edgeDown('eu-west');
    const view = await waitForClassification('shop', 'regional_outage');
    expect(view.classification?.affectedRegions).toEqual(['eu-west']);
    const opened = await waitForEvent('shop', 'incident.opened', failedAt);
    expect(classificationOf(opened).after).toBe('regional_outage');
    expect((opened.data['incident'] as { affectedRegions: string[] }).affectedRegions).toEqual(['eu-west']);
    const healedAt = Date.now();
    await world.edgeUp('eu-west');
    await waitForEvent('shop', 'incident.resolved', healedAt);
  });

  it('a health document reporting degraded is degraded', async () => {
    await world.www.degraded();
    const view = await waitForClassification('www', 'degraded');
    expect(Object.values(view.regions).every((r) => r.causes.some((c) => c.code === 'health_degraded'))).toBe(true);
    await world.www.up();
    await waitForClassification('www', 'operational');
  });

  it('a flapping origin does not cause a page storm', async () => {
    // A dozen rounds that flip between failing and healthy: a monitor that pages on every change
    // would send a dozen pages. Confirmation and damping allow at most one incident to open.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const history = await api.get<{ items: Array<{ roundId: string; region: string; status: string }> }>(`/v1/monitors/${monitors['flappy']}/results?limit=200`);
    const byRegion = new Map<string, string[]>();
    for (const item of [...history.body.items].reverse()) byRegion.set(item.region, [...(byRegion.get(item.region) ?? []), item.status]);
    const flips = [...byRegion.values()].map((list) => list.filter((status, i) => i > 0 && status !== list[i - 1]).length);
    expect(Math.max(...flips)).toBeGreaterThanOrEqual(6);
    expect(eventsFor('flappy', 'incident.opened').length).toBeLessThanOrEqual(1);
    expect(eventsFor('flappy').filter((e) => e.type.startsWith('incident.')).length).toBeLessThanOrEqual(3);
    // It would go on flapping through the next scenarios: stop it.
    expect((await api.request('DELETE', `/v1/monitors/${monitors['flappy']}`)).status).toBe(204);
  });

  it('real nginx (proxy_cache_use_stale) and Varnish (grace) hide a dead origin: masked outage; real HAProxy errorfile: outage', async () => {
    const failedAt = Date.now();
    await realOrigin.stop();
    await waitForClassification('real-nginx', 'masked_outage');
    await waitForClassification('real-varnish', 'masked_outage');
    const haproxy = await waitForClassification('real-haproxy', 'outage');
    expect(haproxy.classification?.decidedBy).toContain('lb_error_page');
    for (const name of ['real-nginx', 'real-varnish']) expect(classificationOf(await waitForEvent(name, 'incident.opened', failedAt)).after).toBe('masked_outage');
    expect(classificationOf(await waitForEvent('real-haproxy', 'incident.opened', failedAt)).after).toBe('outage');
    const healedAt = Date.now();
    await realOrigin.start();
    for (const name of ['real-nginx', 'real-varnish', 'real-haproxy']) await waitForEvent(name, 'incident.resolved', healedAt);
  });

  it("a region's agents going silent is region.blind, not an incident; their return is region.restored", async () => {
    const flappyId = monitors['flappy'];
    const openedElsewhere = (): number => receiver.events().filter((e) => e.type === 'incident.opened' && (e.data['monitor'] as { id?: string } | undefined)?.id !== flappyId).length;
    const incidentsBefore = openedElsewhere();
    const killedAt = Date.now();
    await agents['ap-south']?.kill();
    const blind = await waitUntil('region.blind for ap-south', async () => receiver.events().find((e) => e.type === 'region.blind' && Date.parse(e.timestamp) >= killedAt - 1_000), { timeoutMs: 40_000, intervalMs: 250 });
    expect(blind.data['region']).toBe('ap-south');
    const shop = await status('shop');
    expect(shop.classification?.blindRegions).toContain('ap-south');
    expect(shop.incident).toBeNull();
    agents['ap-south'] = launchAgent('ap-south');
    await waitUntil('region.restored for ap-south', async () => receiver.events().find((e) => e.type === 'region.restored' && Date.parse(e.timestamp) >= killedAt), { timeoutMs: 40_000, intervalMs: 250 });
    expect(openedElsewhere()).toBe(incidentsBefore);
  });

  it('delivered every event exactly once by webhook-id, signed, after failing the first attempts', () => {
    const events = receiver.events();
    expect(events.length).toBeGreaterThan(0);
    expect(receiver.rejected()).toEqual([]);
    expect(receiver.duplicates()).toBe(0);
    for (const event of events) {
      expect(event.attempts).toBe(3);
      expect(new Set(event.bodies).size).toBe(1);
    }
  });
});
