import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AGENT_CONNECTION_COMMANDS, BULLMQ_SCRIPT_COMMANDS, regionAclRule } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { PrivateRedis } from '../testing/agent-test-support';
import { AclFileConfigError, aclFileFromEnvironment } from './acl-file';

const COORDINATOR = 'coordinator-password-0123';
const EU = 'eu-west-password-01234';
const US = 'us-east-password-01234';

function problemsOf(environment: Record<string, string>): readonly string[] {
  try {
    aclFileFromEnvironment(environment);
  } catch (error) {
    if (error instanceof AclFileConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the environment to be refused');
}

describe('aclFileFromEnvironment', () => {
  it.each([
    [{ AGENT_REDIS_PASSWORDS: `eu-west=${EU}` }, /^COORDINATOR_REDIS_PASSWORD: must be at least 16/],
    [{ COORDINATOR_REDIS_PASSWORD: 'short', AGENT_REDIS_PASSWORDS: `eu-west=${EU}` }, /^COORDINATOR_REDIS_PASSWORD: must be/],
    [{ COORDINATOR_REDIS_PASSWORD: `${COORDINATOR}@`, AGENT_REDIS_PASSWORDS: `eu-west=${EU}` }, /^COORDINATOR_REDIS_PASSWORD: must be/],
    [{ COORDINATOR_REDIS_PASSWORD: COORDINATOR }, /^AGENT_REDIS_PASSWORDS: is required/],
    [{ COORDINATOR_REDIS_PASSWORD: COORDINATOR, AGENT_REDIS_PASSWORDS: `EU=${EU}` }, /^AGENT_REDIS_PASSWORDS: "EU" is not a region name/],
    [{ COORDINATOR_REDIS_PASSWORD: COORDINATOR, AGENT_REDIS_PASSWORDS: `eu-west:${EU}` }, /is not a region name/],
    [{ COORDINATOR_REDIS_PASSWORD: COORDINATOR, AGENT_REDIS_PASSWORDS: `eu-west=${EU},eu-west=${US}` }, /region "eu-west" is listed twice/],
    [{ COORDINATOR_REDIS_PASSWORD: COORDINATOR, AGENT_REDIS_PASSWORDS: 'eu-west=tiny' }, /the password of "eu-west" must be/],
    [{ COORDINATOR_REDIS_PASSWORD: COORDINATOR, AGENT_REDIS_PASSWORDS: `eu-west=${EU}/x` }, /the password of "eu-west" must be/],
  ])('refuses %j', (environment, problem) => {
    const problems = problemsOf(environment);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('names every variable at fault at once', () => {
    expect(problemsOf({})).toHaveLength(2);
  });
});

describe('the generated ACL file, loaded by a real redis-server', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('turns the default user off and authenticates the coordinator and each region’s agents, fenced', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-acl-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'users.acl');
    writeFileSync(file, aclFileFromEnvironment({ COORDINATOR_REDIS_PASSWORD: COORDINATOR, AGENT_REDIS_PASSWORDS: ` eu-west=${EU}, us-east=${US} ` }));
    expect(readFileSync(file, 'utf8')).not.toMatch(new RegExp(`${COORDINATOR}|${EU}|${US}`));

    const redis = await PrivateRedis.start({ args: ['--aclfile', file], admin: `coordinator:${COORDINATOR}` });
    cleanups.push(() => redis.stop());
    const connect = (credentials: string): Redis => {
      const client = new Redis(redis.url(credentials), { maxRetriesPerRequest: 0, enableReadyCheck: false, retryStrategy: () => null, lazyConnect: true });
      client.on('error', () => undefined);
      cleanups.push(async () => client.disconnect());
      return client;
    };

    const coordinator = connect(`coordinator:${COORDINATOR}`);
    await coordinator.connect();
    expect(((await coordinator.call('ACL', 'USERS')) as string[]).sort()).toEqual(['agent-eu-west', 'agent-us-east', 'coordinator', 'default']);
    expect(await coordinator.info('server')).toMatch(/redis_version/);
    await coordinator.set('cc:r:{us-east}:checks:meta', 'us');

    const anonymous = connect('');
    await anonymous.connect();
    await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    const wrongPassword = connect(`agent-eu-west:${US}`);
    const refused = new Promise<Error>((resolve) => wrongPassword.once('error', resolve));
    void wrongPassword.connect().catch(() => undefined);
    expect((await refused).message).toMatch(/WRONGPASS/);

    const eu = connect(`agent-eu-west:${EU}`);
    await eu.connect();
    await eu.set('cc:r:{eu-west}:checks:meta', 'eu');
    await expect(eu.get('cc:r:{us-east}:checks:meta')).rejects.toThrow(/NOPERM/);
    await expect(eu.get('cc:{c}:monitors')).rejects.toThrow(/NOPERM/);
  });
});

describe('the agent’s ACL allowlist (regionAclRule) and the BullMQ it runs', () => {
  const scriptsDir = join(dirname(createRequire(__filename).resolve('bullmq/package.json')), 'dist', 'cjs', 'scripts');
  const scripts = readdirSync(scriptsDir)
    .filter((name) => name.endsWith('.js') && name !== 'index.js')
    .map((name) => readFileSync(join(scriptsDir, name), 'utf8'));
  const allowed = new Set(regionAclRule('eu-west', 'a-long-enough-secret').filter((part) => part.startsWith('+')).map((part) => part.slice(1)));

  it('allows every command BullMQ’s Lua scripts call (Redis checks the ACL inside scripts too)', () => {
    expect(scripts.length).toBeGreaterThan(40);
    const called = new Set<string>();
    for (const script of scripts) {
      for (const match of script.matchAll(/(?:rcall|redis\.p?call)\(\s*["']([A-Za-z]+)["']/g)) called.add(match[1]!.toLowerCase());
      // Commands chosen at run time are assigned as literals: `local pushCmd = lifo and 'RPUSH' or 'LPUSH'`.
      for (const match of script.matchAll(/(?:Cmd|Command|command)\s*=\s*([^\n]+)/g)) {
        for (const literal of match[1]!.matchAll(/["']([A-Z]+)["']/g)) called.add(literal[1]!.toLowerCase());
      }
    }
    expect(called.size).toBeGreaterThan(40);
    expect([...called].filter((command) => !allowed.has(command)).sort()).toEqual([]);
    expect([...BULLMQ_SCRIPT_COMMANDS].filter((command) => !called.has(command))).toEqual([]);
  });

  it('knows every way BullMQ’s scripts name a command: literals, or the variables read above', () => {
    const dynamic = new Set<string>();
    for (const script of scripts) {
      for (const match of script.matchAll(/(?:rcall|redis\.p?call)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*[,)]/g)) dynamic.add(match[1]!);
    }
    expect([...dynamic].sort()).toEqual(['command', 'countCommand', 'pushCmd']);
  });

  it('allows what the agent’s connections send themselves', () => {
    for (const command of AGENT_CONNECTION_COMMANDS) expect(allowed).toContain(command);
  });
});
