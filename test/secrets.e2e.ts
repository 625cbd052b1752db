/**
 * Secrets stay secret, end to end, as separate processes on a Redis of the suite's own: a monitor
 * with credentials in its URL and secret headers opens and resolves an incident, and its secrets
 * reach the target (the probe sends them) and nothing else: not the API's answers, not the
 * incidents, not the webhook payloads, not the logs, not Redis (but for the check jobs, which carry
 * them to the agent by design), and not a second origin a redirect leads to.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitUntil } from './support/net';
import { startRedis, type TestRedis } from './support/redis-server';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator, type SystemProcess } from './support/system';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

const TOKEN = 'e2e-secrets-token-0123456789';
const REGION = 'r-secrets';
const SECRET = { password: 'pa55-e2e-4c1f9', apiKey: 'k3y-e2e-8d7e6', custom: 'cust0m-e2e-b2a1' };
const BASIC = Buffer.from(`alice:${SECRET.password}`).toString('base64');
const ALL_SECRETS = { ...SECRET, basic: BASIC };

/** A loopback HTTP server that records the headers of every request it gets. */
interface Target {
  server: Server;
  origin: string;
  seen: { path: string; headers: IncomingHttpHeaders }[];
}

async function startTarget(host: string, handle: (path: string, target: Target) => { status: number; headers?: Record<string, string>; body?: string }): Promise<Target> {
  const port = await freePort(host);
  const target: Target = { server: createServer(), origin: `http://${host}:${port}`, seen: [] };
  target.server.on('request', (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    target.seen.push({ path, headers: request.headers });
    const answer = handle(path, target);
    response.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...answer.headers }).end(answer.body ?? '{"status":"ok"}');
  });
  await new Promise<void>((resolve) => target.server.listen(port, host, resolve));
  return target;
}

function secretsIn(text: string): string[] {
  return Object.entries(ALL_SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

/** Every key of the Redis with its value as text, whatever its type. */
async function dumpRedis(redis: Redis): Promise<Map<string, string>> {
  const dump = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1_000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1);
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      // A key gone between SCAN and TYPE (`none`) has nothing to show.
      if (value !== undefined) dump.set(key, JSON.stringify(value));
    }
  } while (cursor !== '0');
  return dump;
}

let redis: TestRedis;
let client: Redis;
let coordinator: Coordinator;
let agent: SystemProcess;
let api: ApiClient;
let receiver: WebhookReceiver;
let healthy = false;
let origin: Target;
let elsewhere: Target;

beforeAll(async () => {
  redis = await startRedis({ persistent: true });
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  elsewhere = await startTarget('127.0.0.97', () => ({ status: 200 }));
  origin = await startTarget('127.0.0.96', (path) => {
    if (path === '/hop') return { status: 302, headers: { location: `${elsewhere.origin}/landing` } };
    return healthy ? { status: 200 } : { status: 503, body: '{"status":"down","database":"disconnected"}' };
  });
  receiver = await startWebhookReceiver({ host: '127.0.0.98' });
  const debug = { LOG_LEVEL: 'debug' };
  coordinator = await startCoordinator({ redisUrl: redis.url, token: TOKEN, name: 'coordinator-secrets', env: { ...debug, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' } });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  agent = startAgent({ redisUrl: redis.url, region: REGION, agentId: 'secrets-1', env: debug });
  const webhook = await api.post<{ secret: string }>('/v1/webhooks', { url: receiver.url });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  receiver.setSecret(webhook.body.secret);
});

afterAll(async () => {
  await stopAllSystemProcesses();
  await receiver?.close();
  for (const target of [origin, elsewhere]) await new Promise<void>((resolve) => (target ? target.server.close(() => resolve()) : resolve()));
  await client?.quit();
  await redis?.stop();
});

describe('secrets stay secret', () => {
  let monitorId = '';
  let hopId = '';

  it('probes with the real credentials, while every API answer shows them redacted', async () => {
    const created = await api.post<{ id: string; spec: Record<string, unknown> }>('/v1/monitors', {
      name: 'checkout with credentials',
      url: `http://alice:${SECRET.password}@${new URL(origin.origin).host}/health`,
      headers: { 'X-Api-Key': SECRET.apiKey, 'X-Custom': SECRET.custom },
      secretHeaders: ['X-Custom'],
      regions: [REGION],
      intervalSeconds: 1,
      timeoutMs: 2_000,
      incidents: { openAfter: 1, resolveAfter: 1 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    monitorId = created.body.id;
    expect(created.body.spec).toMatchObject({ url: `http://***@${new URL(origin.origin).host}/health`, headers: { 'X-Api-Key': '[redacted]', 'X-Custom': '[redacted]' } });

    const probed = await waitUntil('a probe of the monitor', async () => origin.seen.find((request) => request.path === '/health'), { timeoutMs: 30_000, intervalMs: 200 });
    expect(probed.headers).toMatchObject({ authorization: `Basic ${BASIC}`, 'x-api-key': SECRET.apiKey, 'x-custom': SECRET.custom });

    for (const path of [`/v1/monitors/${monitorId}`, '/v1/monitors']) expect(secretsIn(JSON.stringify((await api.get(path)).body)), path).toEqual([]);
  });

  it('opens and resolves an incident whose records, timeline and webhook payloads show no secret', async () => {
    const opened = await waitUntil('incident.opened delivered', async () => receiver.events().find((event) => event.type === 'incident.opened'), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect((opened.data['monitor'] as { url: string }).url).toBe(`http://***@${new URL(origin.origin).host}/health`);
    healthy = true;
    await waitUntil('incident.resolved delivered', async () => receiver.events().find((event) => event.type === 'incident.resolved'), { timeoutMs: 30_000, intervalMs: 200 });

    const incidents = await api.get<{ items: { id: string }[] }>(`/v1/incidents?monitorId=${monitorId}`);
    const answers = {
      incidents: incidents.body,
      incident: (await api.get(`/v1/incidents/${incidents.body.items[0]!.id}`)).body,
      status: (await api.get(`/v1/monitors/${monitorId}/status`)).body,
      results: (await api.get(`/v1/monitors/${monitorId}/results?limit=1000`)).body,
      deliveries: receiver.events().flatMap((event) => event.bodies),
    };
    for (const [where, answer] of Object.entries(answers)) expect(secretsIn(JSON.stringify(answer)), where).toEqual([]);
  });

  it('sends none of the monitor\'s headers to the origin a redirect leads to', async () => {
    const created = await api.post<{ id: string }>('/v1/monitors', {
      name: 'redirect elsewhere',
      url: `${origin.origin}/hop`,
      headers: { 'X-Api-Key': SECRET.apiKey, 'X-Custom': SECRET.custom },
      secretHeaders: ['X-Custom'],
      regions: [REGION],
      intervalSeconds: 1,
      timeoutMs: 2_000,
    });
    expect(created.status).toBe(201);
    hopId = created.body.id;
    await waitUntil('the redirect followed', async () => (elsewhere.seen.length >= 2 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
    expect(origin.seen.find((request) => request.path === '/hop')?.headers['x-api-key']).toBe(SECRET.apiKey);
    for (const request of elsewhere.seen) expect(secretsIn(JSON.stringify(request.headers))).toEqual([]);
  });

  it('keeps every secret out of Redis (check jobs excepted, by design) and out of every log line', async () => {
    const leaking = [...(await dumpRedis(client)).entries()].filter(([, value]) => secretsIn(value).length > 0).map(([key]) => key);
    // The check jobs carry the spec to the agent (and are kept an hour after completion): the region's queue, fenced by its ACL user.
    expect(leaking.filter((key) => !key.startsWith(`cc:r:{${REGION}}:checks:`)), leaking.join(", ")).toEqual([]);
    const monitorJson = await client.hget(`cc:{c}:monitor:${monitorId}`, 'json');
    expect(monitorJson).toContain('"sealed"');
    expect(secretsIn(monitorJson ?? '')).toEqual([]);

    for (const process of [coordinator, agent]) {
      const log = readFileSync(process.logFile, 'utf8');
      expect(log.length, process.name).toBeGreaterThan(0);
      expect(secretsIn(log), process.name).toEqual([]);
    }
    expect(hopId).not.toBe('');
  });
});
