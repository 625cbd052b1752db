import { checkJobIdFor, fleetStatusSchema, RESULT_JOB_NAME, type CheckJob, type FleetStatusView } from '@crosscheck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, FakeRegionAgent, fakeResult } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** An agent whose every answer is `down` (a 503). */
class DownRegionAgent extends FakeRegionAgent {
  override async answer(job: Pick<CheckJob, 'monitorId' | 'roundId' | 'region'>, jobId = checkJobIdFor(job.roundId, job.region)): Promise<string> {
    await this.resultQueue.add(RESULT_JOB_NAME, fakeResult(job, this.agentId, 'down'), { jobId });
    return jobId;
  }
}

/**
 * `GET /v1/status`: every monitor of a page with its classification, open incident and each
 * region's latest verdict, on a Redis of its own (the shared one holds other suites' monitors).
 */
describe('GET /v1/status', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;
  const [upRegion, downRegion] = [randomRegion('fleet-up'), randomRegion('fleet-down')];
  let agents: FakeRegionAgent[] = [];
  const ids: string[] = [];

  async function fleet(query = ''): Promise<FleetStatusView> {
    const response = await coordinator.request(`/v1/status${query}`);
    expect(response.status).toBe(200);
    return fleetStatusSchema.parse(await response.json());
  }

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url, roundGraceMs: 300 });
    agents = [new FakeRegionAgent(upRegion, `agent-${upRegion}`, redis.url).start(), new DownRegionAgent(downRegion, `agent-${downRegion}`, redis.url).start()];
    for (const [name, regions] of [['both', [upRegion, downRegion]], ['healthy', [upRegion]]] as const) {
      const response = await coordinator.request('/v1/monitors', {
        method: 'POST',
        json: { name, url: 'https://user:pw@example.test/health', regions, intervalSeconds: 1, timeoutMs: 300, incidents: { openAfter: 1, resolveAfter: 1 } },
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
  }, 30_000);

  afterAll(async () => {
    await coordinator?.close();
    await Promise.all(agents.map((agent) => agent.close()));
    await redis?.destroy();
  });

  it('shows each region’s verdict with its main cause, the classification and the open incident', async () => {
    const page = await eventually(async () => {
      const current = await fleet();
      const both = current.items.find((item) => item.monitorId === ids[0]);
      const healthy = current.items.find((item) => item.monitorId === ids[1]);
      return both?.incident && healthy?.classification ? current : undefined;
    }, 15_000, 'an incident open on the monitor with a down region, and the healthy one classified');

    expect(page.items.map((item) => item.monitorId)).toEqual(ids);
    const [both, healthy] = page.items;
    expect(both).toMatchObject({ name: 'both', intervalSeconds: 1, url: 'https://***@example.test/health' });
    expect(Object.keys(both!.regions)).toEqual([upRegion, downRegion]);
    expect(both!.classification?.classification).toMatch(/outage/);
    expect(both!.incident).toMatchObject({ monitorId: ids[0], state: 'open' });
    expect(both!.regions[downRegion]).toMatchObject({
      status: 'down',
      reading: 'down_direct',
      affected: true,
      mainCause: { code: 'status_mismatch', severity: 'down', message: 'status 503 is not in 2xx' },
      causes: ['status_mismatch'],
      httpStatus: 503,
      cacheHit: false,
      bypassStatus: null,
      note: null,
    });
    expect(both!.regions[upRegion]).toMatchObject({ status: 'up', reading: 'fresh', affected: false, mainCause: null, causes: [], httpStatus: 200 });
    expect(Date.parse(both!.regions[upRegion]!.checkedAt!)).toBeGreaterThan(0);
    expect(healthy!.classification?.classification).toBe('operational');
    expect(healthy!.incident).toBeNull();
    expect(Date.parse(page.generatedAt)).toBeGreaterThan(Date.parse(both!.round!.scheduledAt));
  });

  it('pages in creation order by cursor, reads one monitor by id, and refuses a bad limit or cursor naming the parameter', async () => {
    const first = await fleet('?limit=1');
    expect(first.items.map((item) => item.monitorId)).toEqual([ids[0]]);
    expect(first.nextCursor).toBe(ids[0]);
    const second = await fleet(`?limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((item) => item.monitorId)).toEqual([ids[1]]);
    expect(second.nextCursor).toBeNull();

    const one = await fleet(`?monitorId=${ids[1]}`);
    expect(one.items.map((item) => item.monitorId)).toEqual([ids[1]]);
    expect(one.nextCursor).toBeNull();
    expect((await fleet('?monitorId=mon_aaaaaaaaaaaaaaaaaaaa')).items).toEqual([]);

    for (const [query, path] of [['?limit=0', 'limit'], ['?limit=201', 'limit'], ['?cursor=nope', 'cursor'], ['?monitorId=x', 'monitorId']] as const) {
      const response = await coordinator.request(`/v1/status${query}`);
      expect(response.status, query).toBe(400);
      const problem = (await response.json()) as { issues: { path: string }[] };
      expect(problem.issues.map((issue) => issue.path), query).toEqual([path]);
    }
  });

  it('takes a read token, and no token is a 401', async () => {
    const made = await coordinator.request('/v1/tokens', { method: 'POST', json: { name: 'grid', scope: 'read' } });
    const { token } = (await made.json()) as { token: string };
    expect((await coordinator.request('/v1/status', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${coordinator.baseUrl}/v1/status`)).status).toBe(401);
  });

  it('shows a monitor before its first round as missing everywhere, saying why', async () => {
    const response = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'later', url: 'https://example.test/', regions: [upRegion], intervalSeconds: 3_600 },
    });
    const { id } = (await response.json()) as { id: string };
    const page = await fleet();
    const later = page.items.find((item) => item.monitorId === id);
    expect(later).toMatchObject({ round: null, classification: null, incident: null });
    expect(later!.regions[upRegion]).toMatchObject({ status: 'missing', reading: 'missing', mainCause: null, checkedAt: null, note: 'no round of this monitor has been finalized yet' });
    await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
  });
});
