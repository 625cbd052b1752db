/**
 * Region onboarding with a real Redis ACL, as separate processes: Redis starts from an ACL file
 * with the default user off and a `coordinator` user that may run ACL; `POST /v1/regions` makes
 * the region's agent user; the real agent, started with exactly the returned `REDIS_URL` and
 * `REGION`, beats and completes checks in its region; a client with that URL gets NOPERM on
 * another region's keys and on the coordinator's; a Redis restart (which reloads the file, without
 * the user) is healed by the coordinator's ACL reconcile; rotating cuts the old password off;
 * deleting the region deletes the user. Then the manual path (a coordinator whose user may not
 * run ACL answers with the `ACL SETUSER` to run, and running it makes the environment work), and a
 * Redis Cluster, where the user goes to every master and replica.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aclFileOf, coordinatorAclRule, defaultUserOffRule, type RegionAgentCredentials } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitUntil } from './support/net';
import { makeRunDir } from './support/processes';
import { nodeCommand, startRedisCluster, stopAllRedisClusters, type TestRedisCluster } from './support/redis-cluster';
import { findRedisServerBinary, RedisServerProcess } from './support/redis-server';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator, type SystemProcess } from './support/system';

const TOKEN = 'e2e-onboarding-token-0123456789';
const ORIGIN_HOST = '127.0.0.141';
const COORDINATOR_PASSWORD = 'coordinator-password-0123456789';
const ADMIN_PASSWORD = 'admin-password-0123456789abcdef';

interface RegionAnswer {
  name: string;
  managedBy: string;
  agent: RegionAgentCredentials;
}

interface ResultItem {
  region: string;
  status: string;
  agentId: string | null;
}

let origin: Server;
let originUrl: string;
const clients: Redis[] = [];
const servers: Array<{ server: RedisServerProcess; dir: string }> = [];

/** The default user off; with every right, so that Redis 7.0 replays the AOF this suite restarts Redis to keep (see `defaultUserOffRule`). */
const DEFAULT_USER_OFF_FOR_AOF = defaultUserOffRule();

/** A redis-server on loopback whose users come from an ACL file of `users` (the default user off). */
async function startAclRedis(kind: string, users: readonly (readonly string[])[], credentials: string): Promise<RedisServerProcess> {
  const binary = findRedisServerBinary();
  if (binary === undefined) throw new Error('redis-server is not installed: this suite runs a real one with an ACL file (`apt-get install redis-server`)');
  const dir = makeRunDir(kind);
  const aclFile = join(dir, 'users.acl');
  writeFileSync(aclFile, aclFileOf([DEFAULT_USER_OFF_FOR_AOF, ...users]));
  const server = new RedisServerProcess({ binary, port: await freePort('127.0.0.1'), dir, persistent: true, config: [`aclfile ${aclFile}`], credentials });
  servers.push({ server, dir });
  await server.start();
  return server;
}

/** A client that does not retry, with exactly this URL. */
function clientOf(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

/** `none` when a fresh connection with `url` authenticates and PINGs, else Redis's reason. */
async function authError(url: string): Promise<string> {
  const client = clientOf(url);
  const reasons: string[] = [];
  client.on('error', (error: Error) => reasons.push(error.message));
  try {
    await client.connect();
    await client.ping();
    return 'none';
  } catch (error) {
    return [...reasons, (error as Error).message].join('; ');
  } finally {
    client.disconnect();
  }
}

function redisUrlOf(agent: RegionAgentCredentials): string {
  if (!('REDIS_URL' in agent.env)) throw new Error(`expected a REDIS_URL in ${JSON.stringify(Object.keys(agent.env))}`);
  return agent.env.REDIS_URL;
}

function passwordOf(agent: RegionAgentCredentials): string {
  return 'REDIS_URL' in agent.env ? decodeURIComponent(new URL(agent.env.REDIS_URL).password) : agent.env.REDIS_PASSWORD;
}

async function createRegion(api: ApiClient, name: string): Promise<RegionAgentCredentials> {
  const created = await api.post<RegionAnswer>('/v1/regions', { name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.agent;
}

async function waitForLiveAgent(api: ApiClient, region: string): Promise<void> {
  await waitUntil(`a live agent in ${region}`, async () => {
    const view = await api.get<{ liveAgents: number }>(`/v1/regions/${region}`);
    return view.body.liveAgents >= 1 ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 200 });
}

/** The agent started with exactly the answer's environment (plus its id and log level, nothing about Redis). */
function startOnboardedAgent(agent: RegionAgentCredentials, agentId: string): SystemProcess {
  const { env } = agent;
  if ('REDIS_SENTINELS' in env) throw new Error('this suite runs no Sentinel');
  const redis = 'REDIS_URL' in env ? { redisUrl: env.REDIS_URL } : { redis: { clusterNodes: env.REDIS_CLUSTER_NODES } };
  return startAgent({ ...redis, region: env.REGION, agentId, env: { ...env } });
}

beforeAll(async () => {
  const port = await freePort(ORIGIN_HOST);
  origin = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"status":"ok"}'));
  await new Promise<void>((resolve) => origin.listen(port, ORIGIN_HOST, resolve));
  originUrl = `http://${ORIGIN_HOST}:${port}/health`;
});

afterAll(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await stopAllSystemProcesses();
  await stopAllRedisClusters();
  for (const { server, dir } of servers) {
    await server.halt();
    rmSync(dir, { recursive: true, force: true });
  }
  await new Promise<void>((resolve) => origin?.close(() => resolve()));
});

describe('region onboarding on a Redis whose coordinator user may run ACL', () => {
  const REGION = 'onb-west';
  let redis: RedisServerProcess;
  let coordinator: Coordinator;
  let api: ApiClient;
  let coordinatorUrl: string;
  let agent: RegionAgentCredentials;
  let monitorId = '';
  const passwords: string[] = [];

  async function results(): Promise<ResultItem[]> {
    const page = await api.get<{ items: ResultItem[] }>(`/v1/monitors/${monitorId}/results?limit=1000`);
    expect(page.status).toBe(200);
    return page.body.items;
  }

  beforeAll(async () => {
    redis = await startAclRedis('redis-acl', [coordinatorAclRule(COORDINATOR_PASSWORD)], `coordinator:${COORDINATOR_PASSWORD}`);
    coordinatorUrl = redis.url.replace('redis://', `redis://coordinator:${COORDINATOR_PASSWORD}@`);
    coordinator = await startCoordinator({ redisUrl: coordinatorUrl, token: TOKEN, name: 'coordinator-onboarding', env: { REGION_ACL_RECONCILE_INTERVAL: '1s' } });
    api = new ApiClient(coordinator.baseUrl, TOKEN);
  });

  it('refuses the unauthenticated default user', async () => {
    expect(await authError(redis.url)).toMatch(/NOAUTH/);
  });

  it('creates the region and its agent user; the real agent, with exactly the returned env, beats and completes checks', async () => {
    agent = await createRegion(api, REGION);
    passwords.push(passwordOf(agent));
    expect(agent).toMatchObject({ region: REGION, aclUser: `agent-${REGION}`, managed: true, env: { REGION } });
    expect(Object.keys(agent.env).sort()).toEqual(['REDIS_URL', 'REGION']);
    expect(new URL(redisUrlOf(agent)).username).toBe(`agent-${REGION}`);

    startOnboardedAgent(agent, 'onb-west-1');
    await waitForLiveAgent(api, REGION);
    const created = await api.post<{ id: string }>('/v1/monitors', { name: 'onboarded', url: originUrl, regions: [REGION], intervalSeconds: 1, timeoutMs: 2_000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    monitorId = created.body.id;
    await waitUntil('a check completed by the onboarded agent', async () => ((await results()).some((item) => item.status === 'up' && item.agentId === 'onb-west-1') ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  });

  it('fences the URL to its region: NOPERM on another region’s keys and on the coordinator’s', async () => {
    const client = clientOf(redisUrlOf(agent));
    await client.connect();
    expect(await client.exists(`cc:r:{${REGION}}:probe`)).toBe(0);
    await expect(client.get('cc:r:{onb-east}:checks:meta')).rejects.toThrow(/NOPERM/);
    await expect(client.hgetall(`cc:{c}:region:${REGION}`)).rejects.toThrow(/NOPERM/);
    await expect(client.smembers('cc:{c}:regions')).rejects.toThrow(/NOPERM/);
    await expect(client.call('ACL', 'WHOAMI')).rejects.toThrow(/NOPERM/);
  });

  it('re-creates the user after Redis restarts from its ACL file without it, and the agent carries on', async () => {
    await redis.halt();
    await redis.start();
    const restartedAt = Date.now();
    await waitUntil('the agent user back on the restarted Redis', async () => ((await authError(redisUrlOf(agent))) === 'none' ? true : undefined), { timeoutMs: 20_000, intervalMs: 200 });
    await waitUntil('a check completed after the restart', async () => {
      const items = await api.get<{ items: Array<ResultItem & { scheduledAt: string }> }>(`/v1/monitors/${monitorId}/results?limit=1000`);
      return items.body.items.some((item) => item.status === 'up' && item.agentId === 'onb-west-1' && Date.parse(item.scheduledAt) > restartedAt) ? true : undefined;
    }, { timeoutMs: 45_000, intervalMs: 500 });
  });

  it('rotates: the old URL fails AUTH, the new one works, and an agent with it completes checks', async () => {
    const rotated = await api.post<{ agent: RegionAgentCredentials }>(`/v1/regions/${REGION}/rotate-credentials`, {});
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.agent;
    passwords.push(passwordOf(fresh));
    expect(await authError(redisUrlOf(agent))).toMatch(/WRONGPASS/);
    expect(await authError(redisUrlOf(fresh))).toBe('none');

    startOnboardedAgent(fresh, 'onb-west-2');
    const rotatedAt = Date.now();
    await waitUntil('a check completed by the agent with the new credentials', async () => {
      const items = await api.get<{ items: Array<ResultItem & { scheduledAt: string }> }>(`/v1/monitors/${monitorId}/results?limit=1000`);
      return items.body.items.some((item) => item.status === 'up' && item.agentId === 'onb-west-2' && Date.parse(item.scheduledAt) > rotatedAt) ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    agent = fresh;
  });

  it('deletes the user with the region', async () => {
    expect((await api.request('DELETE', `/v1/monitors/${monitorId}`)).status).toBe(204);
    expect((await api.request('DELETE', `/v1/regions/${REGION}`)).status).toBe(204);
    const admin = clientOf(coordinatorUrl);
    await admin.connect();
    expect(await admin.call('ACL', 'GETUSER', `agent-${REGION}`)).toBeNull();
    expect(await authError(redisUrlOf(agent))).toMatch(/WRONGPASS/);
  });

  it('never wrote a password to its log', () => {
    const log = readFileSync(coordinator.logFile, 'utf8');
    expect(log).toContain('region credentials rotated');
    for (const password of passwords) expect(log).not.toContain(password);
  });
});

describe('region onboarding when the coordinator’s Redis user may not run ACL', () => {
  const REGION = 'onb-manual';

  it('creates the region, answers managed: false with the ACL SETUSER, and running it makes the env work', async () => {
    const limited = ['coordinator', 'reset', 'on', `>${COORDINATOR_PASSWORD}`, '~*', '&*', '+@all', '-acl'];
    const admins = ['admin', 'reset', 'on', `>${ADMIN_PASSWORD}`, '~*', '&*', '+@all'];
    const redis = await startAclRedis('redis-acl-manual', [limited, admins], `admin:${ADMIN_PASSWORD}`);
    const coordinator = await startCoordinator({ redisUrl: redis.url.replace('redis://', `redis://coordinator:${COORDINATOR_PASSWORD}@`), token: TOKEN, name: 'coordinator-manual' });
    const api = new ApiClient(coordinator.baseUrl, TOKEN);
    const admin = clientOf(redis.url.replace('redis://', `redis://admin:${ADMIN_PASSWORD}@`));
    await admin.connect();

    const agent = await createRegion(api, REGION);
    expect(agent).toMatchObject({ region: REGION, aclUser: `agent-${REGION}`, managed: false, env: { REGION } });
    expect(agent.aclSetuser).toMatch(new RegExp(`^ACL SETUSER agent-${REGION} reset on >\\S+ ~cc:r:\\{${REGION}\\}:\\* resetchannels -@all `));
    expect(await admin.call('ACL', 'GETUSER', `agent-${REGION}`)).toBeNull();
    expect(await authError(redisUrlOf(agent))).toMatch(/WRONGPASS/);

    // What the operator does: run the line as an admin (here over RESP; `redis-cli` takes the same line).
    const [command, ...args] = (agent.aclSetuser ?? '').split(' ');
    expect(await admin.call(command!, ...args)).toBe('OK');
    startOnboardedAgent(agent, 'onb-manual-1');
    await waitForLiveAgent(api, REGION);
    const client = clientOf(redisUrlOf(agent));
    await client.connect();
    await expect(client.get('cc:r:{onb-west}:checks:meta')).rejects.toThrow(/NOPERM/);
    await expect(client.smembers('cc:{c}:regions')).rejects.toThrow(/NOPERM/);

    const log = readFileSync(coordinator.logFile, 'utf8');
    expect(log).toMatch(/may not run ACL \(NOPERM\)/);
    expect(log).not.toContain(passwordOf(agent));
  });
});

describe('region onboarding on a Redis Cluster', () => {
  const REGION = 'onb-cluster';
  let cluster: TestRedisCluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  });

  async function everyNode(user: string): Promise<Array<{ port: number; present: boolean }>> {
    return Promise.all(cluster.startupNodes.map(async (node) => ({ port: node.port, present: (await nodeCommand(node.port, 'ACL', 'GETUSER', user)) !== null })));
  }

  it('puts the agent user on every master and replica, gives cluster env, re-applies it on a node that lost it, and deletes it everywhere', async () => {
    const coordinator = await startCoordinator({ redis: { clusterNodes: cluster.nodes }, token: TOKEN, name: 'coordinator-cluster', env: { REGION_ACL_RECONCILE_INTERVAL: '1s' } });
    const api = new ApiClient(coordinator.baseUrl, TOKEN);
    const agent = await createRegion(api, REGION);
    // Every node, replicas included: the fan-out reads the cluster's nodes again first (ioredis alone knows only those of its last CLUSTER SLOTS).
    await waitUntil('the agent user on every node', async () => ((await everyNode(`agent-${REGION}`)).every((node) => node.present) ? true : undefined), { timeoutMs: 15_000, intervalMs: 200 });
    expect(agent.managed).toBe(true);
    expect(agent.env).toEqual({ REGION, REDIS_CLUSTER_NODES: cluster.nodes, REDIS_USERNAME: `agent-${REGION}`, REDIS_PASSWORD: expect.any(String) });
    expect(cluster.startupNodes).toHaveLength(6);

    startOnboardedAgent(agent, 'onb-cluster-1');
    await waitForLiveAgent(api, REGION);

    const replica = (await cluster.masters())[0]!.replicas[0]!;
    await nodeCommand(replica.port, 'ACL', 'DELUSER', `agent-${REGION}`);
    await waitUntil('the user re-applied on the replica', async () => ((await everyNode(`agent-${REGION}`)).every((node) => node.present) ? true : undefined), { timeoutMs: 15_000, intervalMs: 200 });

    expect((await api.request('DELETE', `/v1/regions/${REGION}`)).status).toBe(204);
    expect((await everyNode(`agent-${REGION}`)).filter((node) => node.present)).toEqual([]);
  });
});
