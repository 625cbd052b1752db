import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { agentKey, agentsKey, CHECK_JOB_NAME, checkJobIdFor, checkResultSchema, CONTRACT_VERSION, type CheckJob } from '@crosscheck/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, type AgentRuntime } from './agent';
import { readAgentVersion } from './agent-version';
import type { AgentConfig } from './config/agent-config';
import { silentLogger } from './logging/logger';
import { checkJob, RegionQueues, settledJob, startTarget, testConfig, uniqueRegion, waitFor, type TestTarget } from './testing/agent-test-support';

const runtime: AgentRuntime = { logger: silentLogger(), version: readAgentVersion(), host: hostname(), pid: process.pid, heartbeatIntervalMs: 100 };

describe('Agent, against the real Redis and real HTTP targets', () => {
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

  async function target(handler: Parameters<typeof startTarget>[0]): Promise<TestTarget> {
    const started = await startTarget(handler);
    targets.push(started);
    return started;
  }

  function startAgent(overrides: Partial<AgentConfig> = {}): Agent {
    agent = new Agent({ ...config, ...overrides }, runtime);
    agent.start();
    return agent;
  }

  async function addCheck(job: CheckJob, jobId = checkJobIdFor(job.roundId, job.region), name = CHECK_JOB_NAME) {
    await queues.checks.add(name, job, { jobId, attempts: 3, backoff: { type: 'fixed', delay: 100 } });
    return jobId;
  }

  async function resultOf(job: CheckJob) {
    const resultJob = await waitFor(() => queues.results.getJob(checkJobIdFor(job.roundId, job.region)), 8_000, 'the result');
    return checkResultSchema.parse(resultJob.data);
  }

  it('probes a valid job and adds a CheckResult under the round and region id', async () => {
    const healthy = await target((_, response) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        etag: '"v7"',
        'x-cache': 'MISS',
        'set-cookie': 'session=do-not-ship',
      });
      response.end('{"status":"ok"}');
    });
    startAgent();
    const job = checkJob(region, `${healthy.url}/health`, { previous: { etag: '"v6"' } });
    const jobId = await addCheck(job);

    const result = await resultOf(job);
    expect(result).toMatchObject({
      v: CONTRACT_VERSION,
      monitorId: job.monitorId,
      roundId: job.roundId,
      region,
      agentId: config.agentId,
      agentVersion: runtime.version,
      verdict: { status: 'up', evidence: { httpStatus: 200 } },
      observation: {
        url: `${healthy.url}/health`,
        headers: { etag: '"v7"', 'x-cache': 'MISS', 'content-type': 'application/json' },
        validators: { etag: '"v7"' },
      },
    });
    expect(result.observation.headers).not.toHaveProperty('set-cookie');
    expect(result.finishedAt).toBeGreaterThanOrEqual(result.startedAt);

    const { job: check, state } = await settledJob(queues.checks, jobId);
    expect(state).toBe('completed');
    expect(check.returnvalue).toEqual({ status: 'up', resultJobId: jobId });
  });

  it('reports an unreachable target as a completed check with a down verdict', async () => {
    const gone = await target((_, response) => response.end());
    const url = gone.url;
    await gone.close();
    startAgent();
    const job = checkJob(region, url);
    const jobId = await addCheck(job);

    const result = await resultOf(job);
    expect(result.verdict.status).toBe('down');
    expect(result.verdict.causes.map((cause) => cause.code)).toContain('connection_refused');
    expect((await settledJob(queues.checks, jobId)).state).toBe('completed');
  });

  it('fails malformed jobs once, without retries, and keeps processing the next job', async () => {
    const healthy = await target((_, response) => response.end('ok'));
    startAgent();
    const valid = checkJob(region, healthy.url);
    const malformed: Array<[string, unknown, RegExp, string?]> = [
      ['bad-shape', { v: CONTRACT_VERSION, monitorId: 5, spec: 'nope' }, /malformed check job: invalid check job: monitorId: .*expected string/],
      [
        'wrong-version',
        { ...checkJob(region, healthy.url), v: CONTRACT_VERSION + 1 },
        new RegExp(`unsupported contract version ${CONTRACT_VERSION + 1} \\(this agent speaks v${CONTRACT_VERSION}\\)`),
      ],
      ['bad-spec', checkJob(region, healthy.url, { spec: { url: 'ftp://example.com/' } }), /spec does not compile: .*url/],
      ['bad-regex', checkJob(region, healthy.url, { spec: { url: healthy.url, expect: { body: { matches: ['(unclosed'] } } } }), /expect\.body\.matches\.0/],
      ['other-region', checkJob('elsewhere', healthy.url), /job is for region "elsewhere"/],
      ['unknown-name', checkJob(region, healthy.url), /unknown job name "probe-everything"/, 'probe-everything'],
    ];
    for (const [id, data, , name] of malformed) {
      await queues.checks.add(name ?? CHECK_JOB_NAME, data as CheckJob, { jobId: `malformed-${id}`, attempts: 3 });
    }
    const validId = await addCheck(valid);

    for (const [id, , reason] of malformed) {
      const { job, state } = await settledJob(queues.checks, `malformed-${id}`);
      expect(state, id).toBe('failed');
      expect(job.attemptsMade, id).toBe(1);
      expect(job.failedReason, id).toMatch(reason);
    }
    expect((await settledJob(queues.checks, validId)).state).toBe('completed');
    expect((await resultOf(valid)).verdict.status).toBe('up');
    expect(await queues.results.getJobCountByTypes('waiting', 'completed', 'failed', 'active')).toBe(1);
  });

  it('drops a job past its deadline without probing it', async () => {
    const watched = await target((_, response) => response.end('ok'));
    startAgent();
    const late = checkJob(region, watched.url, { scheduledAt: Date.now() - 20_000, deadline: Date.now() - 5_000 });
    const jobId = await addCheck(late);

    const { job, state } = await settledJob(queues.checks, jobId);
    expect(state).toBe('completed');
    expect(job.returnvalue).toMatchObject({ dropped: 'deadline' });
    expect(job.returnvalue.lateMs).toBeGreaterThanOrEqual(5_000);
    expect(watched.requests()).toBe(0);
    expect(await queues.results.getJob(checkJobIdFor(late.roundId, region))).toBeUndefined();
  });

  it('adds a result once: a second check of the same round and region does not replace it', async () => {
    let served = 0;
    const counting = await target((_, response) => response.end(`response ${++served}`));
    startAgent();
    const job = checkJob(region, counting.url);
    const first = await addCheck(job);
    await settledJob(queues.checks, first);
    const original = await resultOf(job);

    // The same check delivered again under another BullMQ id (a coordinator replica, a replay).
    const second = await addCheck(job, `${first}-replayed`);
    expect((await settledJob(queues.checks, second)).state).toBe('completed');
    expect(counting.requests()).toBe(2);

    expect(await queues.results.getJobCountByTypes('waiting', 'completed', 'failed', 'active', 'delayed')).toBe(1);
    expect(await resultOf(job)).toEqual(original);
  });

  it('beats a heartbeat with its checks in flight, and removes it on a graceful stop', async () => {
    const slow = await target((_, response) => {
      setTimeout(() => response.end('ok'), 1_000);
    });
    const running = startAgent();
    const jobs = [checkJob(region, slow.url), checkJob(region, slow.url), checkJob(region, slow.url)];
    for (const job of jobs) await addCheck(job);

    const beat = await waitFor(
      async () => {
        const hash = await queues.redis.hgetall(agentKey(region, config.agentId));
        return hash['inFlight'] === '3' ? hash : undefined;
      },
      3_000,
      'a heartbeat with 3 checks in flight',
    );
    expect(beat).toMatchObject({
      region,
      agentId: config.agentId,
      version: runtime.version,
      host: runtime.host,
      pid: String(process.pid),
      concurrency: String(config.concurrency),
    });
    expect(Number(beat['lastBeat'])).toBeGreaterThan(Date.now() - 2_000);
    expect(Number(beat['startedAt'])).toBeLessThanOrEqual(Number(beat['lastBeat']));
    const score = await queues.redis.zscore(agentsKey(region), config.agentId);
    expect(Number(score)).toBeGreaterThan(Date.now() - 2_000);
    const ttl = await queues.redis.pttl(agentKey(region, config.agentId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);

    // Stop while the three checks are in flight: they finish and deliver, then the agent leaves.
    const report = await running.stop(5_000);
    agent = undefined;
    expect(report).toEqual({ clean: true, abandonedChecks: 0 });
    for (const job of jobs) expect((await resultOf(job)).verdict.status).toBe('up');
    expect(await queues.redis.exists(agentKey(region, config.agentId))).toBe(0);
    expect(await queues.redis.zscore(agentsKey(region), config.agentId)).toBeNull();
  });

  it('stops taking jobs on stop and gives up on in-flight checks after the grace period', async () => {
    const hanging = await target(() => undefined);
    const running = startAgent();
    const job = checkJob(region, hanging.url);
    await addCheck(job);
    await waitFor(async () => (running.inFlight === 1 ? true : undefined), 3_000, 'the check to start');

    const started = Date.now();
    const report = await running.stop(300);
    agent = undefined;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(report).toEqual({ clean: false, abandonedChecks: 1 });

    // Stopped means stopped: a job added now stays waiting.
    const later = checkJob(region, hanging.url);
    const laterId = await addCheck(later);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await (await queues.checks.getJob(laterId))?.getState()).toBe('waiting');

    // The abandoned check ends once its target goes. Nothing of it is reported (its job is left to
    // its lock's expiry), and this process stays responsive: BullMQ does not retry moving the job
    // through the closed connection in a loop that starves every timer.
    await hanging.close();
    await waitFor(async () => (running.inFlight === 0 ? true : undefined), 5_000, 'the abandoned check to end');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await (await queues.checks.getJob(checkJobIdFor(job.roundId, region)))?.getState()).toBe('active');
  });

  describe('memory budget (AGENT_MEMORY_BUDGET_BYTES)', () => {
    const MiB = 1024 * 1024;

    /** A target that counts the requests it holds open at once, and answers each after `holdMs`, or when the test opens its gate. */
    async function gatedTarget(answer: (request: IncomingMessage, response: ServerResponse) => void, holdMs?: number) {
      let open = 0;
      let maxOpen = 0;
      let gateOpen = false;
      const held: Array<() => void> = [];
      const paths: string[] = [];
      const started = await target((request, response) => {
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        paths.push(new URL(request.url ?? '/', 'http://target').pathname);
        response.once('close', () => (open -= 1));
        const reply = () => answer(request, response);
        if (holdMs !== undefined) setTimeout(reply, holdMs);
        else if (gateOpen) reply();
        else held.push(reply);
      });
      return {
        target: started,
        open: () => open,
        maxOpen: () => maxOpen,
        /** Paths requested so far, in order. */
        paths: () => [...paths],
        /** Answers everything held, and everything that comes later, at once. */
        openGate: () => {
          gateOpen = true;
          for (const reply of held.splice(0)) reply();
        },
      };
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
      const waitingId = await addCheck(waiting);
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
      expect(['delayed', 'waiting']).toContain(await handedBack.getState());
      gated.openGate();
      expect(await stopping).toEqual({ clean: true, abandonedChecks: 0 });
      agent = undefined;
      expect((await resultOf(holder)).verdict.status).toBe('up');
      expect(gated.paths().filter((path) => path === '/waiting')).toEqual([]);
    });
  });
});
