import { readRedisTarget, regionAgentEnvSchema, type RedisTarget } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { agentRedisAddress, agentRedisEnv } from './agent-redis-env';

const PASSWORD = 'pW-0123456789_abcdefghijklmnopqrstuvwxyzAB';

describe('agentRedisEnv', () => {
  it.each<{ target: RedisTarget; env: Record<string, string> }>([
    {
      target: { mode: 'single', url: 'redis://coordinator:coordinator-secret@redis.internal:6380/3' },
      env: { REGION: 'eu-west', REDIS_URL: `redis://agent-eu-west:${PASSWORD}@redis.internal:6380/3` },
    },
    { target: { mode: 'single', url: 'redis://127.0.0.1:6379' }, env: { REGION: 'eu-west', REDIS_URL: `redis://agent-eu-west:${PASSWORD}@127.0.0.1:6379/0` } },
    { target: { mode: 'single', url: 'rediss://:only-a-password@redis.example' }, env: { REGION: 'eu-west', REDIS_URL: `rediss://agent-eu-west:${PASSWORD}@redis.example/0` } },
    {
      target: { mode: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: 'fd00::2', port: 7001 }], username: 'coordinator', password: 'x'.repeat(20), tls: false },
      env: { REGION: 'eu-west', REDIS_CLUSTER_NODES: '10.0.0.1:7000,[fd00::2]:7001', REDIS_USERNAME: 'agent-eu-west', REDIS_PASSWORD: PASSWORD },
    },
    {
      target: { mode: 'cluster', nodes: [{ host: 'a.example', port: 6379 }], tls: true },
      env: { REGION: 'eu-west', REDIS_CLUSTER_NODES: 'rediss://a.example:6379', REDIS_USERNAME: 'agent-eu-west', REDIS_PASSWORD: PASSWORD },
    },
    {
      target: { mode: 'sentinel', sentinels: [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }], master: 'main', password: 'y'.repeat(20), sentinelPassword: 'z'.repeat(20) },
      env: { REGION: 'eu-west', REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_MASTER: 'main', REDIS_USERNAME: 'agent-eu-west', REDIS_PASSWORD: PASSWORD },
    },
  ])('gives the agent $target.mode address with its own user only', ({ target, env }) => {
    const made = agentRedisEnv(target, 'eu-west', 'agent-eu-west', PASSWORD);
    expect(made).toEqual(env);
    expect(JSON.stringify(made)).not.toMatch(/coordinator-secret|only-a-password|xxxxx|yyyyy|zzzzz/);
    expect(regionAgentEnvSchema.safeParse(made).success).toBe(true);
  });

  it('is read back by the agent as the same target with the agent’s credentials', () => {
    const env = agentRedisEnv({ mode: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }], tls: false }, 'eu-west', 'agent-eu-west', PASSWORD);
    expect(readRedisTarget(env)).toEqual({ target: { mode: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }], username: 'agent-eu-west', password: PASSWORD, tls: false } });
    const single = agentRedisEnv({ mode: 'single', url: 'redis://10.0.0.9:6379/0' }, 'eu-west', 'agent-eu-west', PASSWORD);
    const url = new URL((readRedisTarget(single) as { target: { url: string } }).target.url);
    expect([url.username, url.password, url.host, url.pathname]).toEqual(['agent-eu-west', PASSWORD, '10.0.0.9:6379', '/0']);
  });

  it('uses AGENT_REDIS_URL over the coordinator’s own address', () => {
    const own: RedisTarget = { mode: 'single', url: 'redis://coordinator:pw@127.0.0.1:6379' };
    expect(agentRedisAddress({ redis: own })).toBe(own);
    expect(agentRedisAddress({ redis: own, agentRedis: { mode: 'single', url: 'redis://redis.public.example:6379' } })).toEqual({ mode: 'single', url: 'redis://redis.public.example:6379' });
  });
});
