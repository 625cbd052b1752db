import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { agentKey, CHECK_JOB_NAME, checkJobIdFor, checkResultSchema, type CheckJob } from '@crosscheck/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, type AgentRuntime } from './agent';
import type { AgentConfig } from './config/agent-config';
import { silentLogger } from './logging/logger';
import { checkJob, RegionQueues, settledJob, startTarget, testConfig, uniqueRegion, waitFor, type TestTarget } from './testing/agent-test-support';

const MiB = 1024 * 1024;
const runtime: AgentRuntime = { logger: silentLogger(), version: '0.0.0-spec', host: hostname(), pid: process.pid, heartbeatIntervalMs: 100 };

/** A target that counts the requests it holds open at once, and answers each when the test says so. */
interface GatedTarget {
  target: TestTarget;
  open: () => number;
  maxOpen: () => number;
  /** Paths requested so far, in order. */
  paths: () => string[];
  /** Answers everything held, and everything that comes later, at once. */
  openGate: () => void;
}

describe('Agent memory budget (AGENT_MEMORY_BUDGET_BYTES), against the real Redis and real HTTP targets', () => {
  let region: string;
  let queues: RegionQueues;
  let config: AgentConfig;
  let agent: Agent | undefined;
  const targets: TestTarget[] = [];

  beforeEach(() => {
    region = uniqueRegion();
    queues = new RegionQueues(region);
    config = testConfig(region);
  });

  afterEach(async () => {
    await agent?.stop(1_000);
    agent = undefined;
    await Promise.all(targets.splice(0).map((target) => target.close()));
    await queues.cleanUp();
  });

  function startAgent(overrides: Partial<AgentConfig>): Agent {
    agent = new Agent({ ...config, ...overrides }, runtime);
    agent.start();
    return agent;
  }

  async function gatedTarget(answer: (request: IncomingMessage, response: ServerResponse) => void, holdMs?: number): Promise<GatedTarget> {
    let open = 0;
    let maxOpen = 0;
    let gateOpen = false;
    const held: Array<() => void> = [];
    const paths: string[] = [];
    const target = await startTarget((request, response) => {
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      paths.push(new URL(request.url ?? '/', 'http://target').pathname);
      response.once('close', () => (open -= 1));
      const reply = () => answer(request, response);
      if (holdMs !== undefined) setTimeout(reply, holdMs);
      else if (gateOpen) reply();
      else held.push(reply);
    });
    targets.push(target);
    return {
      target,
      open: () => open,
      maxOpen: () => maxOpen,
      paths: () => [...paths],
      openGate: () => {
        gateOpen = true;
        for (const reply of held.splice(0)) reply();
      },
    };
  }

  async function addCheck(job: CheckJob, attempts = 1): Promise<string> {
    const jobId = checkJobIdFor(job.roundId, job.region);
    await queues.checks.add(CHECK_JOB_NAME, job, { jobId, attempts, backoff: { type: 'fixed', delay: 60_000 } });
    return jobId;
  }

  async function resultOf(job: CheckJob) {
    const resultJob = await waitFor(() => queues.results.getJob(checkJobIdFor(job.roundId, job.region)), 10_000, 'the result');
    return checkResultSchema.parse(resultJob.data);
  }

  it('holds no more body caps in flight than its budget: checks beyond it wait their turn, and all complete', async () => {
    // Each check reserves twice its 1 MiB cap for its request and for the bypass one: 2 checks fit in 8 MiB.
    const gated = await gatedTarget((_, response) => response.end('{"status":"UP"}'), 300);
    startAgent({ concurrency: 20, memoryBudgetBytes: 8 * MiB });
    const jobs = Array.from({ length: 10 }, (_, k) => checkJob(region, `${gated.target.url}/m${k}`, { spec: { url: `${gated.target.url}/m${k}`, maxBodyBytes: MiB } }));
    const ids = await Promise.all(jobs.map((job) => addCheck(job)));

    const beat = await waitFor(
      async () => {
        const hash = await queues.redis.hgetall(agentKey(region, config.agentId));
        return Number(hash['waitingForMemory'] ?? 0) > 0 ? hash : undefined;
      },
      8_000,
      'a heartbeat with checks waiting for memory',
    );
    expect(beat['memoryBudgetBytes']).toBe(String(8 * MiB));
    expect(Number(beat['memoryReservedBytes'])).toBeLessThanOrEqual(8 * MiB);
    expect(Number(beat['inFlight'])).toBeGreaterThan(Number(beat['waitingForMemory']));

    for (const id of ids) expect((await settledJob(queues.checks, id, 20_000)).state).toBe('completed');
    for (const job of jobs) expect((await resultOf(job)).verdict.status).toBe('up');
    expect(gated.paths()).toHaveLength(20);
    expect(gated.maxOpen()).toBeLessThanOrEqual(4);
    expect(agent?.memory?.reservedBytes).toBe(0);
  });

  it('drops, unprobed, a check whose deadline passes while it waits for memory', async () => {
    const gated = await gatedTarget((_, response) => response.end('ok'));
    startAgent({ memoryBudgetBytes: 4 * MiB });
    const holder = checkJob(region, `${gated.target.url}/holder`, { spec: { url: `${gated.target.url}/holder`, maxBodyBytes: MiB } });
    const holderId = await addCheck(holder);
    await waitFor(async () => (gated.open() === 2 ? true : undefined), 8_000, 'the first check to hold the whole budget');

    const now = Date.now();
    const late = checkJob(region, `${gated.target.url}/late`, { scheduledAt: now, deadline: now + 1_000, spec: { url: `${gated.target.url}/late`, maxBodyBytes: MiB } });
    const lateId = await addCheck(late);
    const { job, state } = await settledJob(queues.checks, lateId, 10_000);
    expect(state).toBe('completed');
    expect(job.returnvalue).toMatchObject({ dropped: 'deadline' });
    expect(job.returnvalue.lateMs).toBeGreaterThanOrEqual(0);
    expect(job.returnvalue.probed).toBeUndefined();
    expect(await queues.results.getJob(lateId)).toBeUndefined();

    gated.openGate();
    expect((await settledJob(queues.checks, holderId)).state).toBe('completed');
    expect(gated.paths().filter((path) => path === '/late')).toEqual([]);
  });

  it('probes a monitor whose body caps exceed the whole budget alone, with its share of the budget as cap, and says so in the verdict', async () => {
    const body = 'x'.repeat(1.5 * MiB);
    const gated = await gatedTarget((_, response) => response.end(body), 0);
    startAgent({ memoryBudgetBytes: 4 * MiB });
    // Twice 2 MiB for each of its two requests cannot fit a 4 MiB budget: each gets a 1 MiB cap.
    const job = checkJob(region, gated.target.url, { spec: { url: gated.target.url, maxBodyBytes: 2 * MiB } });
    await addCheck(job);
    const result = await resultOf(job);
    expect(result.verdict.causes).toContainEqual(
      expect.objectContaining({ code: 'body_truncated', evidence: { bodyCapBytes: MiB, bodyBytes: MiB } }),
    );
    expect(gated.maxOpen()).toBeLessThanOrEqual(2);
  });

  it('hands checks still waiting for memory back to the queue when it stops, without probing them', async () => {
    const gated = await gatedTarget((_, response) => response.end('ok'));
    const running = startAgent({ memoryBudgetBytes: 4 * MiB });
    const holder = checkJob(region, `${gated.target.url}/holder`, { spec: { url: `${gated.target.url}/holder`, maxBodyBytes: MiB } });
    await addCheck(holder);
    await waitFor(async () => (gated.open() === 2 ? true : undefined), 8_000, 'the first check to hold the whole budget');
    const waiting = checkJob(region, `${gated.target.url}/waiting`, { spec: { url: `${gated.target.url}/waiting`, maxBodyBytes: MiB } });
    const waitingId = await addCheck(waiting, 3);
    await waitFor(async () => (running.memory?.waiting === 1 ? true : undefined), 8_000, 'the second check to wait for memory');

    const stopping = running.stop(5_000);
    // Handed back at once (a failed attempt, retried later by BullMQ), while the holder still runs.
    const handedBack = await waitFor(
      async () => {
        const job = await queues.checks.getJob(waitingId);
        return job && job.attemptsMade === 1 ? job : undefined;
      },
      5_000,
      'the waiting check to be handed back',
    );
    expect(handedBack.failedReason).toMatch(/handed back unprobed/);
    expect(await handedBack.getState()).toBe('delayed');
    gated.openGate();
    expect(await stopping).toEqual({ clean: true, abandonedChecks: 0 });
    agent = undefined;
    expect((await resultOf(holder)).verdict.status).toBe('up');
    expect(gated.paths().filter((path) => path === '/waiting')).toEqual([]);
  });
});
