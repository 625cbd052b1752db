/**
 * The distributed loop end to end, as separate processes on real Redis: a coordinator, agents in
 * three regions, monitors created through the REST API, per-region results every round. Then the
 * failures an ops team meets: bad API input, a malformed job, two coordinators at once, Redis
 * restarting mid-run, and an agent killed with SIGKILL mid-check.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CHECK_QUEUE, CONTRACT_VERSION, regionPrefix } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSuiteRedis, type SuiteRedis } from './support/suite-redis';
import { ApiClient, startAgent, startCoordinator, stopAllSystemProcesses, type Coordinator, type SystemProcess } from './support/system';
import { freePort, sleep, waitUntil } from './support/net';

const TOKEN = 'e2e-token-0123456789abcdef';
const ORIGIN_HOST = '127.0.0.81';
const REGIONS = ['r-north', 'r-east', 'r-west'] as const;

interface ResultItem {
  roundId: string;
  region: string;
  status: string;
  agentId: string | null;
  scheduledAt: string;
  causes: Array<{ code: string }>;
}

interface StatusBody {
  round: { roundId: string; scheduledAt: string; complete: boolean } | null;
  regions: Record<string, { status: string; causes: Array<{ code: string }>; agentId: string | null }>;
}

let redis: SuiteRedis;
let coordinator: Coordinator;
let api: ApiClient;
let origin: Server;
let originUrl: string;
const slowRequests: number[] = [];
const agents: Record<string, SystemProcess> = {};
const northMetricsPorts: Record<string, number> = {};

/** The agent's own count of checks in flight now, from its `/metrics` (`undefined` when it does not answer). */
async function checksInFlight(agentId: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${northMetricsPorts[agentId]}/metrics`, { signal: AbortSignal.timeout(1_000) })).text();
    const line = text.split('\n').find((l) => l.startsWith('crosscheck_agent_checks_in_flight '));
    return line === undefined ? undefined : Number(line.split(' ')[1]);
  } catch {
    return undefined;
  }
}

function serveOrigin(request: IncomingMessage, response: ServerResponse): void {
  if (request.url?.startsWith('/slow')) {
    slowRequests.push(Date.now());
    const timer = setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'), 2_500);
    response.on('close', () => clearTimeout(timer));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"status":"ok","checks":{"db":{"status":"ok"}}}');
}

async function results(monitorId: string): Promise<ResultItem[]> {
  const page = await api.get<{ items: ResultItem[] }>(`/v1/monitors/${monitorId}/results?limit=1000`);
  expect(page.status).toBe(200);
  return page.body.items;
}

/** Rounds (by id) in which every listed region answered with this status. */
function roundsWhere(items: ResultItem[], regions: readonly string[], status: string, after = 0): string[] {
  const byRound = new Map<string, ResultItem[]>();
  for (const item of items) {
    if (Date.parse(item.scheduledAt) <= after) continue;
    byRound.set(item.roundId, [...(byRound.get(item.roundId) ?? []), item]);
  }
  return [...byRound.entries()].filter(([, list]) => regions.every((r) => list.some((i) => i.region === r && i.status === status))).map(([id]) => id);
}

async function createMonitor(body: Record<string, unknown>): Promise<string> {
  const created = await api.post<{ id: string }>('/v1/monitors', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

beforeAll(async () => {
  redis = await startSuiteRedis({ persistent: true });
  const port = await freePort(ORIGIN_HOST);
  origin = createServer(serveOrigin);
  await new Promise<void>((resolve) => origin.listen(port, ORIGIN_HOST, resolve));
  originUrl = `http://${ORIGIN_HOST}:${port}`;
  coordinator = await startCoordinator({ redis: redis.target, token: TOKEN, name: 'coordinator-a' });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
  // r-north's two agents serve their metrics: the live checks-in-flight gauge tells which one holds a check now
  // (the heartbeat's count is up to 2 s old, longer than the slow check takes).
  for (const agentId of ['north-1', 'north-2'] as const) {
    northMetricsPorts[agentId] = await freePort();
    agents[agentId] = startAgent({ redis: redis.target, region: 'r-north', agentId, env: { METRICS_PORT: String(northMetricsPorts[agentId]), METRICS_HOST: '127.0.0.1' } });
  }
  agents['east-1'] = startAgent({ redis: redis.target, region: 'r-east', agentId: 'east-1' });
  agents['west-1'] = startAgent({ redis: redis.target, region: 'r-west', agentId: 'west-1' });
});

afterAll(async () => {
  await stopAllSystemProcesses();
  await new Promise<void>((resolve) => origin?.close(() => resolve()));
  await redis?.stop();
});

describe('the distributed loop on real Redis', () => {
  let monitorId = '';

  it('creates a monitor through the API and sees per-region results arrive each round', async () => {
    monitorId = await createMonitor({ name: 'origin health', url: `${originUrl}/health`, regions: [...REGIONS], intervalSeconds: 1, timeoutMs: 2000 });
    const status = await waitUntil(
      'a complete round with every region up',
      async () => {
        const s = await api.get<StatusBody>(`/v1/monitors/${monitorId}/status`);
        return s.body.round?.complete && REGIONS.every((r) => s.body.regions[r]?.status === 'up') ? s.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(Object.keys(status.regions).sort()).toEqual([...REGIONS].sort());
    const rounds = await waitUntil('three rounds with every region up', async () => {
      const list = roundsWhere(await results(monitorId), REGIONS, 'up');
      return list.length >= 3 ? list : undefined;
    }, { timeoutMs: 20_000, intervalMs: 500 });
    expect(new Set(rounds).size).toBe(rounds.length);
    // The same rounds in its uptime history, written by their commits (on a cluster too: every
    // rollup key is in the monitor's slot).
    const uptime = await waitUntil(
      'the rounds in the uptime history',
      async () => {
        const u = await api.get<{ rounds: { up: number; down: number }; regions: Record<string, { checks: { up: number } }> }>(`/v1/monitors/${monitorId}/uptime?window=1h`);
        return u.body.rounds.up >= 3 ? u.body : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    );
    expect(uptime.rounds.down).toBe(0);
    for (const region of REGIONS) expect(uptime.regions[region]?.checks.up).toBeGreaterThanOrEqual(1);
    const agentsSeen = new Set((await results(monitorId)).map((i) => i.agentId));
    expect([...agentsSeen].some((id) => id === 'east-1')).toBe(true);
  });

  it('answers bad API input with 400, 401 and 404, never 500', async () => {
    const valid = { name: 'x', url: `${originUrl}/health`, regions: ['r-east'], intervalSeconds: 5 };
    expect((await api.request('GET', '/v1/monitors', undefined, { token: null })).status).toBe(401);
    expect((await api.request('GET', '/v1/monitors', undefined, { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await api.request('POST', '/v1/monitors', undefined, { raw: '{"name": "broken",' })).status).toBe(400);
    const invalid = await api.post<{ issues: Array<{ path: string }> }>('/v1/monitors', {
      ...valid,
      url: 'ftp://example.com/',
      regions: ['Not A Region'],
      intervalSeconds: 0,
      expect: { json: [{ path: 'status' }] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['url', 'regions.0', 'intervalSeconds', 'expect.json.0.path']));
    expect((await api.get('/v1/monitors/mon_aaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await api.get('/v1/monitors/not-an-id/status')).status).toBe(404);
    expect((await api.request('PATCH', '/v1/monitors/mon_aaaaaaaaaaaaaaaaaaaa', { name: 'y' })).status).toBe(404);
    const created = await createMonitor(valid);
    expect((await api.request('PATCH', `/v1/monitors/${created}`, { intervalSeconds: -3 })).status).toBe(400);
    expect((await api.request('DELETE', `/v1/monitors/${created}`)).status).toBe(204);
    expect((await api.get(`/v1/monitors/${created}`)).status).toBe(404);
    for (const path of ['/v1/monitors?limit=abc', '/v1/monitors?limit=100000', `/v1/monitors/${monitorId}/results?since=yesterday`]) {
      const response = await api.get(path);
      expect(response.status, path).toBe(400);
    }
  });

  it('rejects a malformed job without crashing the agent', async () => {
    const queue = new Queue(CHECK_QUEUE, { connection: redis.connect(), prefix: regionPrefix('r-east') });
    try {
      const garbage = await queue.add('check', { hello: 'world' }, { jobId: 'malformed-1' });
      const wrongVersion = await queue.add('check', { v: 99, monitorId: monitorId, roundId: 'x', region: 'r-east', scheduledAt: Date.now(), deadline: Date.now() + 60_000, spec: { url: 'http://x/' } }, { jobId: 'malformed-2' });
      const badSpec = await queue.add('check', { v: CONTRACT_VERSION, monitorId, roundId: `${monitorId}-1`, region: 'r-east', scheduledAt: Date.now(), deadline: Date.now() + 60_000, spec: { url: 'not a url' } }, { jobId: 'malformed-3' });
      for (const job of [garbage, wrongVersion, badSpec]) {
        await waitUntil(`job ${job.id} to fail`, async () => ((await job.getState()) === 'failed' ? true : undefined), { timeoutMs: 10_000 });
        const failed = await queue.getJob(job.id ?? '');
        expect(failed?.attemptsMade).toBeLessThanOrEqual(1);
      }
      const after = Date.now();
      expect(agents['east-1']?.running()).toBe(true);
      await waitUntil('a later round answered by r-east', async () => (roundsWhere(await results(monitorId), ['r-east'], 'up', after).length > 0 ? true : undefined), { timeoutMs: 15_000, intervalMs: 500 });
    } finally {
      await queue.close();
    }
  });

  it('runs two coordinators at once without doubling rounds', async () => {
    const second = await startCoordinator({ redis: redis.target, token: TOKEN, name: 'coordinator-b' });
    const from = Date.now();
    await sleep(6_000);
    const until = Date.now();
    await sleep(4_000); // let the rounds of the window finish
    const window = (await results(monitorId)).filter((i) => Date.parse(i.scheduledAt) >= from && Date.parse(i.scheduledAt) < until);
    const perRoundRegion = new Map<string, number>();
    for (const item of window) perRoundRegion.set(`${item.roundId}/${item.region}`, (perRoundRegion.get(`${item.roundId}/${item.region}`) ?? 0) + 1);
    expect([...perRoundRegion.values()].every((n) => n === 1)).toBe(true);
    const rounds = new Set(window.map((i) => i.scheduledAt));
    // A 1 s interval over a 6 s window: about six rounds, never twelve.
    expect(rounds.size).toBeGreaterThanOrEqual(4);
    expect(rounds.size).toBeLessThanOrEqual(8);
    expect(await second.stop()).toBe(0);
  });

  it('resumes by itself when Redis restarts mid-run', async () => {
    const pids = Object.values(agents).map((a) => a.child.pid);
    await redis.restart();
    const restartedAt = Date.now();
    await waitUntil(
      'rounds after the restart with every region up',
      async () => (roundsWhere(await results(monitorId), REGIONS, 'up', restartedAt).length >= 2 ? true : undefined),
      { timeoutMs: 45_000, intervalMs: 500 },
    );
    expect(coordinator.running()).toBe(true);
    expect(Object.values(agents).map((a) => a.child.pid)).toEqual(pids);
    expect(Object.values(agents).every((a) => a.running())).toBe(true);
  });

  it('leaves a region missing, never down, when its agent is killed mid-check, and another agent takes over', async () => {
    const slow = await createMonitor({ name: 'slow', url: `${originUrl}/slow`, regions: ['r-north'], intervalSeconds: 3, timeoutMs: 4000, cacheBypass: false });
    const seen = slowRequests.length;
    // 45 s: on a Redis Cluster, a worker left hung by the restart before is replaced by its watchdog within about 25 s.
    await waitUntil('a slow check in flight', async () => (slowRequests.length > seen ? true : undefined), { timeoutMs: 45_000, intervalMs: 50 });
    const agentsView = await api.get<{ agents: Array<{ agentId: string; inFlight: number }> }>('/v1/agents');
    // Killed at once: the check takes 2.5 s, and a kill after it ended would leave nothing missing. In flight
    // twice 200 ms apart: the slow check, not one of the main monitor's (they take milliseconds).
    const busy = async (agentId: string) => ((await checksInFlight(agentId)) ?? 0) > 0;
    const holder = await waitUntil('the agent holding the check', async () => {
      for (const agentId of ['north-1', 'north-2']) {
        if (!(await busy(agentId))) continue;
        await sleep(200);
        if (await busy(agentId)) return agentId;
      }
      return undefined;
    }, { timeoutMs: 5_000, intervalMs: 20 });
    const killedAt = Date.now();
    await agents[holder]?.kill();
    expect(agentsView.status).toBe(200);
    // Every agent reports its memory budget for bodies (AGENT_MEMORY_BUDGET_BYTES, 256 MiB by default).
    const budgets = await api.get<{ agents: Array<{ agentId: string; memoryBudgetBytes: number | null }> }>('/v1/agents');
    expect(budgets.body.agents.find((a) => a.agentId === holder)).toMatchObject({ memoryBudgetBytes: 256 * 1024 * 1024 });
    const survivor = holder === 'north-1' ? 'north-2' : 'north-1';

    const missing = await waitUntil('the killed check reported missing', async () => {
      const items = await results(slow);
      return items.find((i) => Date.parse(i.scheduledAt) < killedAt && i.status === 'missing');
      // At its deadline; on a cluster a deadline worker hung by the restart before is replaced first (seconds).
    }, { timeoutMs: 45_000, intervalMs: 500 });
    expect(missing.region).toBe('r-north');
    const all = await results(slow);
    expect(all.filter((i) => i.status === 'down')).toEqual([]);
    await waitUntil(`a later round answered by ${survivor}`, async () => {
      const items = await results(slow);
      return items.find((i) => Date.parse(i.scheduledAt) > killedAt && i.status === 'up' && i.agentId === survivor);
    }, { timeoutMs: 30_000, intervalMs: 500 });
  });
});
