/**
 * docker-compose.yml could not be run here (no Docker engine), so it is checked as far as it can be
 * without one: parsed, interpolated as compose does, its ACL file generated from its own
 * environment and loaded into a real redis-server, and every service's REDIS_URL tried against it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { regionPrefix } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PrivateRedis } from '../testing/agent-test-support';
import { aclFileFromEnvironment } from './acl-file';

const REPO = join(__dirname, '..', '..', '..', '..');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

/** What an operator's `.env` would hold. */
const ENV: Record<string, string> = {
  API_TOKEN: 'api-token-0123456789abcdef',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  COORDINATOR_REDIS_PASSWORD: 'c0ffee'.repeat(8),
  AGENT_EU_WEST_REDIS_PASSWORD: 'e0'.repeat(24),
  AGENT_US_EAST_REDIS_PASSWORD: 'a1'.repeat(24),
  AGENT_AP_SOUTH_REDIS_PASSWORD: 'b2'.repeat(24),
};

/** Compose's interpolation of `${NAME}`, `${NAME:-default}`, `${NAME:?error}` and `$$`. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g, (whole, name: string | undefined, kind: string | undefined, rest: string | undefined) => {
    if (whole === '$$') return '$';
    const set = env[name!];
    if (set !== undefined && set !== '') return set;
    if (kind === '-') return rest ?? '';
    throw new Error(`${name}: ${rest ?? 'is not set'}`);
  });
}

function interpolated<T>(node: T, env: Record<string, string>): T {
  if (typeof node === 'string') return interpolate(node, env) as T;
  if (Array.isArray(node)) return node.map((item: unknown) => interpolated(item, env)) as T;
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolated(value, env)])) as T;
  }
  return node;
}

function composeFile(env: Record<string, string> = ENV): { services: Record<string, Service>; volumes: Record<string, unknown> } {
  const document = parse(readFileSync(join(REPO, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  return { services: interpolated(document.services, env), volumes: document.volumes };
}

/** The container path a named volume is mounted at in a service, and whether read-only. */
function mountOf(service: Service, volume: string): { path: string; readOnly: boolean } | undefined {
  const entry = service.volumes?.find((spec) => spec.split(':')[0] === volume);
  if (entry === undefined) return undefined;
  const [, path = '', mode] = entry.split(':');
  return { path, readOnly: mode === 'ro' };
}

describe('docker-compose.yml', () => {
  const { services, volumes } = composeFile();
  const agents = Object.entries(services).filter(([name]) => name.startsWith('agent-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('refuses to start without every password, naming it', () => {
    for (const name of ['COORDINATOR_REDIS_PASSWORD', 'AGENT_EU_WEST_REDIS_PASSWORD', 'AGENT_AP_SOUTH_REDIS_PASSWORD']) {
      const { [name]: _, ...without } = ENV;
      expect(() => composeFile(without)).toThrow(new RegExp(`^${name}: set ${name}`));
    }
  });

  it('starts Redis with the ACL file redis-acl writes first, and publishes no Redis port', () => {
    const redis = services['redis']!;
    const writer = services['redis-acl']!;
    const aclPath = redis.command![redis.command!.indexOf('--aclfile') + 1]!;
    const written = writer.command!.at(-1)!;
    expect(writer.command!.slice(0, 2)).toEqual(['node', 'apps/agent/dist/acl/write-acl-file.js']);
    expect(posix.basename(written)).toBe(posix.basename(aclPath));
    expect(mountOf(writer, 'redis-acl')?.path).toBe(posix.dirname(written));
    expect(mountOf(redis, 'redis-acl')).toEqual({ path: posix.dirname(aclPath), readOnly: true });
    expect(volumes).toHaveProperty('redis-acl');
    expect(redis.depends_on).toEqual({ 'redis-acl': { condition: 'service_completed_successfully' } });
    expect(redis.command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
    expect(redis.ports).toBeUndefined();
    // The health check authenticates: the default user is off.
    expect(redis.healthcheck?.test.join(' ')).toMatch(/--user coordinator/);
    expect(redis.environment?.['REDISCLI_AUTH']).toBe(ENV['COORDINATOR_REDIS_PASSWORD']);
    // The image creates the directory the volume is mounted at, owned by the user that writes it.
    expect(readFileSync(join(REPO, 'Dockerfile'), 'utf8')).toContain(`mkdir -p ${posix.dirname(written)} && chown node:node ${posix.dirname(written)}`);
  });

  it('has one ACL user per agent service’s region, and each agent connects as its own', () => {
    const passwords = new Map(services['redis-acl']!.environment!['AGENT_REDIS_PASSWORDS']!.split(',').map((entry) => entry.split('=') as [string, string]));
    expect(agents.length).toBeGreaterThan(1);
    expect([...passwords.keys()].sort()).toEqual(agents.map(([, service]) => service.environment!['REGION']!).sort());
    for (const [name, service] of agents) {
      const region = service.environment!['REGION']!;
      expect(name).toBe(`agent-${region}`);
      expect(service.environment!['REDIS_URL']).toBe(`redis://agent-${region}:${passwords.get(region)}@redis:6379`);
      expect(service.ports).toBeUndefined();
    }
    expect(new Set([...passwords.values()]).size).toBe(passwords.size);
  });

  it('connects the coordinator as its own user and publishes its port on the host’s loopback only', () => {
    const coordinator = services['coordinator']!;
    expect(coordinator.environment!['REDIS_URL']).toBe(`redis://coordinator:${ENV['COORDINATOR_REDIS_PASSWORD']}@redis:6379`);
    expect(coordinator.ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('generates an ACL file that a real redis-server loads, under which each service’s REDIS_URL reaches what it should', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-compose-acl-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'users.acl');
    writeFileSync(file, aclFileFromEnvironment(services['redis-acl']!.environment!));
    const redis = await PrivateRedis.start({ args: ['--aclfile', file], admin: `coordinator:${ENV['COORDINATOR_REDIS_PASSWORD']}` });
    cleanups.push(() => redis.stop());
    const connect = (url: string): Redis => {
      const client = new Redis(url.replace('@redis:6379', `@127.0.0.1:${redis.port}`), { maxRetriesPerRequest: 0, enableReadyCheck: false });
      cleanups.push(async () => client.disconnect());
      return client;
    };

    const coordinator = connect(services['coordinator']!.environment!['REDIS_URL']!);
    expect(await coordinator.set('cc:{c}:monitors:probe', 'x')).toBe('OK');
    for (const [, service] of agents) {
      const region = service.environment!['REGION']!;
      const agent = connect(service.environment!['REDIS_URL']!);
      expect(await agent.set(`${regionPrefix(region)}:agents:probe`, 'x')).toBe('OK');
      await expect(agent.get('cc:{c}:monitors:probe')).rejects.toThrow(/NOPERM/);
      const other = agents.map(([, s]) => s.environment!['REGION']!).find((name) => name !== region)!;
      await expect(agent.get(`${regionPrefix(other)}:agents:probe`)).rejects.toThrow(/NOPERM/);
      await expect(agent.call('SCAN', '0')).rejects.toThrow(/NOPERM/);
    }
  });
});
