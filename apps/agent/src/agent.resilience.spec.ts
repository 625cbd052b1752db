import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentKey, agentsKey, checkJobIdFor, CHECK_JOB_NAME, COORDINATOR_ACL_USER, regionAclUser, regionPrefix, type CheckJob } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { aclFileFromEnvironment } from './acl/acl-file';
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

const COORDINATOR_PASSWORD = 'coordinator-secret-0123';
const AGENT_PASSWORD = 'agent-secret-0123456789';
const COORDINATOR_CREDENTIALS = `${COORDINATOR_ACL_USER}:${COORDINATOR_PASSWORD}`;

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

  /** The coordinator's side of `region`, connected as the default user or with `credentials`. */
  function queuesOn(redis: PrivateRedis, region: string, credentials = ''): RegionQueues {
    const queues = new RegionQueues(region, redis.url(credentials));
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

  /**
   * A private Redis whose users come from the ACL file the deployment generates (as
   * docker-compose.yml does): the default user off, the coordinator's, and `region`'s agents'.
   */
  async function setUpFenced(): Promise<{ redis: PrivateRedis; region: string; target: TestTarget; admin: Redis; agentUrl: string }> {
    const region = uniqueRegion();
    const dir = mkdtempSync(join(tmpdir(), 'cc-acl-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const aclFile = join(dir, 'users.acl');
    writeFileSync(aclFile, aclFileFromEnvironment({ COORDINATOR_REDIS_PASSWORD: COORDINATOR_PASSWORD, AGENT_REDIS_PASSWORDS: `${region}=${AGENT_PASSWORD},other-region=${AGENT_PASSWORD}x` }));
    // DEBUG and MODULE enabled, so that it is the ACL that refuses them, not the server's configuration.
    const redis = await PrivateRedis.start({
      args: ['--aclfile', aclFile, '--enable-debug-command', 'yes', '--enable-module-command', 'yes'],
      admin: COORDINATOR_CREDENTIALS,
    });
    cleanups.push(() => redis.stop());
    const target = await startTarget((request, response) => {
      if (request.url === '/slow') setTimeout(() => response.end('ok'), 6_000);
      else response.end('ok');
    });
    cleanups.push(() => target.close());
    const admin = redis.admin();
    cleanups.push(() => admin.quit());
    return { redis, region, target, admin, agentUrl: redis.url(`${regionAclUser(region)}:${AGENT_PASSWORD}`) };
  }

  /** What Redis refused the agent's user, from its ACL log. */
  async function refusals(admin: Redis, region: string): Promise<string[]> {
    const entries = (await admin.call('ACL', 'LOG')) as unknown[][];
    return entries
      .map((entry) => Object.fromEntries(chunk(entry.map(String))) as Record<string, string>)
      .filter((entry) => entry['username'] === regionAclUser(region))
      .map((entry) => `${entry['reason']} ${entry['object']}`);
  }

  it('works under exactly regionAclRule, loaded from the generated ACL file, and is refused nothing, restarts of Redis included', async () => {
    const { redis, region, target, admin, agentUrl } = await setUpFenced();
    const config = testConfig(region, { redisUrl: agentUrl });
    const agent = startAgent(new Agent(config, runtime));
    const queues = queuesOn(redis, region, COORDINATOR_CREDENTIALS);
    await checkThrough(queues, checkJob(region, target.url));
    // A check longer than a lock renewal (every 5 s), and a malformed job: more of BullMQ's scripts run under the rule.
    const slowUrl = `${target.url}/slow`;
    await checkThrough(queues, checkJob(region, slowUrl, { deadline: Date.now() + 20_000, spec: { url: slowUrl, cacheBypass: false, timeoutMs: 8_000 } }), 15_000);
    const malformed = await queues.checks.add(CHECK_JOB_NAME, { v: 1, nonsense: true }, { jobId: 'malformed-under-acl' });
    expect((await settledJob(queues.checks, malformed.id ?? '')).state).toBe('failed');
    await waitFor(
      async () => ((await admin.hget(agentKey(region, config.agentId), 'agentId')) === config.agentId ? true : undefined),
      3_000,
      'a heartbeat written under the ACL user',
    );

    // The users come back with the restart, from the file; the data does not.
    await redis.restart();
    const after = queuesOn(redis, region, COORDINATOR_CREDENTIALS);
    await checkThrough(after, checkJob(region, target.url), 15_000);
    await waitFor(
      async () => ((await after.redis.hget(agentKey(region, config.agentId), 'agentId')) === config.agentId ? true : undefined),
      5_000,
      'the heartbeat to come back after the restart',
    );
    expect(await agent.stop(5_000)).toEqual({ clean: true, abandonedChecks: 0 });
    expect(await after.redis.exists(agentKey(region, config.agentId))).toBe(0);
    expect(await refusals(after.redis, region)).toEqual([]);
  });

  it('gives a region’s credentials nothing that lists, watches or describes the rest of the server', async () => {
    const { region, admin, agentUrl } = await setUpFenced();
    await admin.set('cc:{c}:monitors:secret', 'coordinator only');
    await admin.set(`${regionPrefix('other-region')}:checks:meta`, 'another region');
    await admin.set(`${regionPrefix(region)}:checks:meta`, 'its own');
    const fenced = new Redis(agentUrl, { maxRetriesPerRequest: 0, enableReadyCheck: false });
    cleanups.push(async () => fenced.disconnect());

    // What it may do: its own keys, and scripts over them.
    expect(await fenced.get(`${regionPrefix(region)}:checks:meta`)).toBe('its own');
    expect(await fenced.call('EVAL', "return redis.call('GET', KEYS[1])", '1', `${regionPrefix(region)}:checks:meta`)).toBe('its own');

    const refused: [string, ...string[]][] = [
      ['SCAN', '0'],
      ['SCAN', '0', 'MATCH', 'cc:{c}:*'],
      ['KEYS', '*'],
      ['RANDOMKEY'],
      ['DBSIZE'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST'],
      ['CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'cc:{c}:'],
      ['CLIENT', 'LIST'],
      ['CLIENT', 'KILL', 'TYPE', 'normal'],
      ['CLIENT', 'PAUSE', '10'],
      ['CLIENT', 'NO-EVICT', 'on'],
      ['FUNCTION', 'LIST'],
      ['FUNCTION', 'FLUSH'],
      ['FCALL', 'anything', '0'],
      ['SCRIPT', 'KILL'],
      ['SCRIPT', 'FLUSH'],
      ['INFO'],
      ['INFO', 'keyspace'],
      ['MONITOR'],
      ['DEBUG', 'OBJECT', `${regionPrefix(region)}:checks:meta`],
      ['CONFIG', 'GET', '*'],
      ['MODULE', 'LIST'],
      ['PUBSUB', 'CHANNELS'],
      ['PUBLISH', `${regionPrefix(region)}:x`, 'hello'],
      ['OBJECT', 'ENCODING', `${regionPrefix(region)}:checks:meta`],
      ['MEMORY', 'STATS'],
      ['MEMORY', 'USAGE', `${regionPrefix(region)}:checks:meta`],
      ['COMMAND', 'COUNT'],
      ['LATENCY', 'LATEST'],
      ['SLOWLOG', 'GET'],
      ['ACL', 'LIST'],
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['SWAPDB', '0', '1'],
      ['WAIT', '0', '0'],
      ['SORT', `${regionPrefix(region)}:list`, 'BY', 'cc:{c}:*'],
      // Other keys, directly and from scripts.
      ['GET', 'cc:{c}:monitors:secret'],
      ['SET', 'cc:{c}:monitors:secret', 'overwritten'],
      ['GET', `${regionPrefix('other-region')}:checks:meta`],
      ['ZRANGE', agentsKey('other-region'), '0', '-1'],
      ['EVAL', "return redis.call('GET', 'cc:{c}:monitors:secret')", '0'],
      ['EVAL', "return redis.call('SCAN', '0')", '0'],
      ['EVAL', "return redis.call('KEYS', '*')", '0'],
    ];
    const allowed: string[] = [];
    for (const [command, ...args] of refused) {
      const outcome = await fenced.call(command, ...args).then(
        () => 'allowed',
        (error: Error) => error.message,
      );
      // Inside a script, Redis words the same refusal differently.
      if (!/^NOPERM |^ERR The user executing the script can't (run this command|access at least one of the keys)/.test(outcome)) {
        allowed.push(`${[command, ...args].join(' ')}: ${outcome}`);
      }
    }
    expect(allowed).toEqual([]);

    // Channels: none at all (agents use no pub/sub).
    const subscriber = new Redis(agentUrl, { maxRetriesPerRequest: 0, enableReadyCheck: false });
    cleanups.push(async () => subscriber.disconnect());
    await expect(subscriber.subscribe(`${regionPrefix(region)}:events`)).rejects.toThrow(/NOPERM/);
    await expect(subscriber.psubscribe('*')).rejects.toThrow(/NOPERM/);
    expect(await admin.get('cc:{c}:monitors:secret')).toBe('coordinator only');
  });
});

/** `[k1, v1, k2, v2]` -> `[[k1, v1], [k2, v2]]`. */
function chunk(flat: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs;
}
