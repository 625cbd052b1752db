import { checkJobIdFor, checkJobSchema, roundIdFor } from '@crosscheck/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorStatus, ResultView } from '../results/monitor-status';
import { eventually, FakeRegionAgent, purgeRegions } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { RoundStarter } from './round-starter.service';

/**
 * Rounds end to end on one coordinator and the real Redis: scheduling, fan-out with derived ids,
 * result intake, finalization by all-answered or deadline, missing regions, idempotence.
 */
describe('rounds', () => {
  let coordinator: TestCoordinator;
  const answering = new FakeRegionAgent(randomRegion('up'));
  const silent = new FakeRegionAgent(randomRegion('silent'));
  const blind = randomRegion('blind');
  const monitorIds: string[] = [];

  async function createMonitor(regions: string[], overrides: Record<string, unknown> = {}): Promise<string> {
    const response = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'rounds test', regions, intervalSeconds: 1, url: 'https://example.test/health', timeoutMs: 500, ...overrides },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    monitorIds.push(id);
    return id;
  }

  async function status(id: string): Promise<MonitorStatus> {
    const response = await coordinator.request(`/v1/monitors/${id}/status`);
    expect(response.status).toBe(200);
    return (await response.json()) as MonitorStatus;
  }

  beforeAll(async () => {
    coordinator = await startTestCoordinator({ roundGraceMs: 500 });
    answering.start();
    silent.start({ answer: false });
  });

  afterAll(async () => {
    for (const id of monitorIds) await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    await coordinator.close();
    await Promise.all([answering.close(), silent.close(), purgeRegions([blind])]);
  });

  it('fans out one check per region with derived ids; a silent region becomes missing at the deadline', async () => {
    const id = await createMonitor([answering.region, silent.region]);

    const finalized = await eventually(async () => {
      const current = await status(id);
      return current.round ? current : undefined;
    }, 6_000, 'a finalized round');

    expect(finalized.round).toMatchObject({ finalizedBy: 'deadline', complete: false });
    const up = finalized.regions[answering.region]!;
    expect(up).toMatchObject({ status: 'up', agentId: answering.agentId, causes: [] });
    expect(up.evidence).toMatchObject({ httpStatus: 200 });
    const missing = finalized.regions[silent.region]!;
    expect(missing).toMatchObject({ status: 'missing', evidence: null, agentId: null, checkedAt: null });
    expect(missing.reason).toMatch(/no result before the deadline .* agent\(s\) of region .* are live/);

    // Every check job carries the contract's ids and a valid payload.
    const jobs = [...answering.checks, ...silent.checks].filter((job) => job.data.monitorId === id);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    for (const job of jobs) {
      const data = checkJobSchema.parse(job.data);
      expect(data.roundId).toBe(roundIdFor(id, data.scheduledAt));
      expect(job.id).toBe(checkJobIdFor(data.roundId, data.region));
      expect(data.deadline).toBe(data.scheduledAt + 500 + 500);
    }
    const round = finalized.round!;
    expect(jobs.map((job) => job.data.roundId)).toContain(round.roundId);

    // History holds both: the answer and the absence.
    const history = (await (await coordinator.request(`/v1/monitors/${id}/results?limit=50`)).json()) as { items: ResultView[] };
    const ofRound = history.items.filter((item) => item.roundId === round.roundId);
    expect(ofRound.map((item) => [item.region, item.status]).sort()).toEqual(
      [
        [answering.region, 'up'],
        [silent.region, 'missing'],
      ].sort(),
    );
  });

  it('finalizes at once when every region has answered', async () => {
    const id = await createMonitor([answering.region]);
    const finalized = await eventually(async () => {
      const current = await status(id);
      return current.round ? current : undefined;
    }, 4_000, 'a finalized round');
    expect(finalized.round).toMatchObject({ finalizedBy: 'all_answered', complete: true });
    const round = finalized.round!;
    // Well before the deadline (scheduled + 1 s): nobody waited for it.
    expect(Date.parse(round.finalizedAt)).toBeLessThan(Date.parse(round.deadline));
    expect(finalized.regions[answering.region]?.status).toBe('up');
  });

  it('stores a duplicate result once', async () => {
    const id = await createMonitor([answering.region]);
    const job = await eventually(async () => answering.checks.find((check) => check.data.monitorId === id), 4_000, 'a check job');
    const first = checkJobIdFor(job.data.roundId, job.data.region);
    expect(await answering.resultOf(first)).toMatchObject({ outcome: expect.stringMatching(/^stored/) });

    // Same round and region under another job id, so that BullMQ does not dedupe it for us.
    const again = await answering.answer(job.data, `${first}-again`);
    expect(await answering.resultOf(again)).toEqual({ outcome: 'duplicate' });

    const history = (await (await coordinator.request(`/v1/monitors/${id}/results?limit=1000`)).json()) as { items: ResultView[] };
    expect(history.items.filter((item) => item.roundId === job.data.roundId && item.region === answering.region)).toHaveLength(1);
  });

  it('starting the same round twice (a retry, a second coordinator) adds nothing', async () => {
    const id = await createMonitor([answering.region], { intervalSeconds: 3_600 });
    const starter = coordinator.app.get(RoundStarter, { strict: false });
    const scheduledAt = Date.now();
    const [once, twice] = [await starter.start(id, scheduledAt), await starter.start(id, scheduledAt)];
    expect(once).toMatchObject({ started: true, created: true, roundId: roundIdFor(id, scheduledAt) });
    expect(twice).toMatchObject({ started: true, created: false, roundId: roundIdFor(id, scheduledAt) });
    await eventually(async () => (await status(id)).round?.roundId === roundIdFor(id, scheduledAt) || undefined, 4_000, 'the round finalized');
    expect(answering.checks.filter((job) => job.data.roundId === roundIdFor(id, scheduledAt))).toHaveLength(1);
  });

  it('fails a malformed result for good, without retrying it', async () => {
    await answering.resultQueue.add('result', { junk: true } as never, { jobId: 'malformed-1', attempts: 3 });
    await expect(answering.resultOf('malformed-1')).rejects.toThrow(/malformed result/);
    const job = await answering.resultQueue.getJob('malformed-1');
    expect(job?.attemptsMade).toBe(1);
  });

  it('ignores the rounds under way of a deleted monitor, and schedules no more', async () => {
    const id = await createMonitor([silent.region]);
    const job = await eventually(async () => silent.checks.find((check) => check.data.monitorId === id), 4_000, 'a check job');
    expect((await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' })).status).toBe(204);
    monitorIds.splice(monitorIds.indexOf(id), 1);

    const resultJobId = await silent.answer(job.data);
    expect(await silent.resultOf(resultJobId)).toEqual({ outcome: 'unknown_monitor' });

    const seen = silent.checks.filter((check) => check.data.monitorId === id).length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(silent.checks.filter((check) => check.data.monitorId === id)).toHaveLength(seen);
  });

  it('reports blind regions in /v1/agents and /health, and live agents with their heartbeat', async () => {
    await createMonitor([answering.region, blind], { intervalSeconds: 3_600 });
    const agents = (await (await coordinator.request('/v1/agents')).json()) as {
      agents: { region: string; agentId: string; live: boolean }[];
      regions: Record<string, { liveAgents: number; blind: boolean }>;
    };
    expect(agents.agents).toContainEqual(expect.objectContaining({ region: answering.region, agentId: answering.agentId, live: true }));
    expect(agents.regions[answering.region]).toEqual({ liveAgents: 1, blind: false });
    expect(agents.regions[blind]).toEqual({ liveAgents: 0, blind: true });

    // The details need a token; without one /health says only ok or degraded.
    const health = await coordinator.request('/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('cache-control')).toBe('no-store');
    const report = (await health.json()) as { status: string; redis: { ok: boolean }; agents: { blindRegions: string[] }; reasons: string[] };
    expect(report.status).toBe('degraded');
    expect(report.redis.ok).toBe(true);
    expect(report.agents.blindRegions).toContain(blind);
    expect(report.agents.blindRegions).not.toContain(answering.region);
  });

  it('exposes round start lag in /v1/stats', async () => {
    const stats = (await (await coordinator.request('/v1/stats')).json()) as {
      rounds: { started: number; skippedLate: number; startLagMs: { samples: number; p50: number | null } };
    };
    // Other coordinators on the same Redis (parallel test files) may have started these rounds,
    // so only the shape and its consistency are certain here.
    expect(stats.rounds.startLagMs.samples).toBe(Math.min(stats.rounds.started, 1_000));
    expect(stats.rounds.startLagMs.p50 === null).toBe(stats.rounds.started === 0);
  });
});
