import { hostname } from 'node:os';
import { agentKey, checkJobIdFor, CHECK_JOB_NAME, regionAclPattern, regionPrefix, type CheckJob } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, type AgentRuntime } from './agent';
import { silentLogger } from './logging/logger';
import { checkJob, PrivateRedis, RegionQueues, settledJob, startTarget, testConfig, uniqueRegion, waitFor, type TestTarget } from './testing/agent-test-support';

const runtime: AgentRuntime = {
  logger: silentLogger(),
  version: '0.0.0-spec',
  host: hostname(),
  pid: process.pid,
  heartbeatIntervalMs: 200,
  watchdogIntervalMs: 500,
  watchdogStuckAfterMs: 3_000,
};

const DOCUMENTED_ACL = [
  '-@all',
  ...['+@read', '+@write', '+@keyspace', '+@list', '+@sortedset', '+@hash', '+@string', '+@stream', '+@scripting'],
  ...['+@transaction', '+@blocking', '+@connection', '+info', '+client'],
];

/** The documented rule minus `@dangerous`, re-adding INFO and the CLIENT subcommands ioredis and BullMQ use. */
const HARDENED_ACL = [
  ...DOCUMENTED_ACL.slice(0, -2),
  ...['-@dangerous', '-script|flush', '+info', '+client|setname', '+client|getname', '+client|id', '+client|info'],
];

/** Agents on a Redis server of their own, which these tests crash, restart and fence with ACLs. */
describe('Agent, on a Redis of its own', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function setUp(): Promise<{ redis: PrivateRedis; region: string; target: TestTarget }> {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const target = await startTarget((_, response) => response.end('ok'));
    cleanups.push(() => target.close());
    return { redis, region: uniqueRegion(), target };
  }

  function startAgent(agent: Agent): Agent {
    agent.start();
    cleanups.push(() => agent.stop(1_000));
    return agent;
  }

  function queuesOn(redis: PrivateRedis, region: string): RegionQueues {
    const queues = new RegionQueues(region, redis.url());
    cleanups.push(() => queues.cleanUp());
    return queues;
  }

  async function checkThrough(queues: RegionQueues, job: CheckJob, timeoutMs = 8_000): Promise<string> {
    const jobId = checkJobIdFor(job.roundId, job.region);
    await queues.checks.add(CHECK_JOB_NAME, job, { jobId });
    const { state } = await settledJob(queues.checks, jobId, timeoutMs);
    expect(state).toBe('completed');
    expect(await queues.results.getJob(jobId)).toBeDefined();
    return jobId;
  }

  it('resumes consuming by itself after Redis crashes and comes back empty', async () => {
    const { redis, region, target } = await setUp();
    const config = testConfig(region, { redisUrl: redis.url() });
    startAgent(new Agent(config, runtime));
    const before = queuesOn(redis, region);
    await checkThrough(before, checkJob(region, target.url));

    await redis.restart();
    const restartedAt = Date.now();

    // Nothing survived (no persistence): the agent must reconnect, beat again and consume again.
    const after = queuesOn(redis, region);
    await checkThrough(after, checkJob(region, target.url), 15_000);
    const recoveredInMs = Date.now() - restartedAt;
    expect(recoveredInMs).toBeLessThan(15_000);
    await waitFor(
      async () => ((await after.redis.hget(agentKey(region, config.agentId), 'agentId')) === config.agentId ? true : undefined),
      5_000,
      'the heartbeat to come back',
    );
  });

  it.each([
    // The rule documented in libs/contract/src/key-layout.ts. It fences keys, but not keyless
    // commands: FLUSHALL, FLUSHDB, SWAPDB and CLIENT KILL stay allowed.
    ['documented in the key layout', DOCUMENTED_ACL, false],
    ['hardened', HARDENED_ACL, true],
  ])('works under the region-fenced ACL user %s, and cannot reach other keys', async (_, categories, fencesKeylessCommands) => {
    const { redis, region, target } = await setUp();
    const admin = new Redis(redis.url());
    cleanups.push(() => admin.quit());
    const user = `agent-${region}`;
    await admin.call('ACL', 'SETUSER', user, 'on', '>agent-secret', 'resetkeys', regionAclPattern(region), 'resetchannels', `&${regionPrefix(region)}:*`, ...categories);
    await admin.set('cc:c:monitors:secret', 'coordinator only');

    const config = testConfig(region, { redisUrl: redis.url(`${user}:agent-secret`) });
    startAgent(new Agent(config, runtime));
    const queues = queuesOn(redis, region);
    await checkThrough(queues, checkJob(region, target.url));
    await waitFor(
      async () => ((await admin.hget(agentKey(region, config.agentId), 'agentId')) === config.agentId ? true : undefined),
      3_000,
      'a heartbeat written under the ACL user',
    );

    const fenced = new Redis(redis.url(`${user}:agent-secret`), { maxRetriesPerRequest: 0 });
    cleanups.push(() => fenced.quit());
    await expect(fenced.get('cc:c:monitors:secret')).rejects.toThrow(/NOPERM/);
    await expect(fenced.get(`${regionPrefix('other-region')}:checks:meta`)).rejects.toThrow(/NOPERM/);
    if (fencesKeylessCommands) {
      await expect(fenced.call('FLUSHALL')).rejects.toThrow(/NOPERM/);
      await expect(fenced.call('CLIENT', 'KILL', 'TYPE', 'normal')).rejects.toThrow(/NOPERM/);
    }
  });
});
