import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorStatus } from '../results/monitor-status';
import { FakeRegionAgent } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** Two coordinators on one Redis: one round per interval, one check per round and region, one finalization. */
describe('two coordinators', () => {
  let first: TestCoordinator;
  let second: TestCoordinator;
  const agents = [new FakeRegionAgent(randomRegion('two-a')), new FakeRegionAgent(randomRegion('two-b'))];
  let monitorId = '';

  beforeAll(async () => {
    [first, second] = await Promise.all([startTestCoordinator(), startTestCoordinator()]);
    for (const agent of agents) agent.start();
  });

  afterAll(async () => {
    if (monitorId) await first.request(`/v1/monitors/${monitorId}`, { method: 'DELETE' });
    await Promise.all([first.close(), second.close()]);
    await Promise.all(agents.map((agent) => agent.close()));
  });

  it('do not double rounds', async () => {
    const response = await first.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'twice', regions: agents.map((agent) => agent.region), intervalSeconds: 1, url: 'https://example.test/', timeoutMs: 500 },
    });
    expect(response.status).toBe(201);
    monitorId = ((await response.json()) as { id: string }).id;
    // The second coordinator changes the same monitor: both have now upserted its scheduler.
    const patched = await second.request(`/v1/monitors/${monitorId}`, { method: 'PATCH', json: { name: 'twice, renamed' } });
    expect(patched.status).toBe(200);

    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const elapsed = Date.now() - started;

    for (const agent of agents) {
      const checks = agent.checks.filter((job) => job.data.monitorId === monitorId);
      const perRound = new Map<string, number>();
      for (const job of checks) perRound.set(job.data.roundId, (perRound.get(job.data.roundId) ?? 0) + 1);
      // One check per round in this region...
      expect([...perRound.values()].every((count) => count === 1)).toBe(true);
      // ...and one round per interval: scheduled moments are whole intervals apart, never doubled.
      const moments = [...new Set(checks.map((job) => job.data.scheduledAt))].sort((a, b) => a - b);
      for (let i = 1; i < moments.length; i++) {
        const gap = moments[i]! - moments[i - 1]!;
        expect(gap % 1_000).toBe(0);
        expect(gap).toBeGreaterThanOrEqual(1_000);
      }
      expect(moments.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1_000) + 2);
      expect(moments.length).toBeGreaterThanOrEqual(Math.floor(elapsed / 1_000) - 1);
    }

    // Both coordinators see the same finalized round, closed once when both regions answered.
    const [a, b] = (await Promise.all([first, second].map(async (c) => (await c.request(`/v1/monitors/${monitorId}/status`)).json()))) as MonitorStatus[];
    for (const status of [a!, b!]) {
      expect(status.round?.finalizedBy).toBe('all_answered');
      expect(Object.values(status.regions).map((region) => region.status)).toEqual(['up', 'up']);
    }
    const history = (await (await first.request(`/v1/monitors/${monitorId}/results?limit=1000`)).json()) as {
      items: { roundId: string; region: string }[];
    };
    const keys = history.items.map((item) => `${item.roundId}/${item.region}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
