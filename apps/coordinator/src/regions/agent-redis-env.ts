import type { RedisTarget, RegionAgentEnv } from '@crosscheck/contract';
import type { CoordinatorConfig } from '../config/coordinator-config';

/** Where a region's agents reach Redis: the `agentRedis` of the config, else the coordinator's own target. */
export function agentRedisAddress(config: Pick<CoordinatorConfig, 'redis' | 'agentRedis'>): RedisTarget {
  return config.agentRedis ?? config.redis;
}

/**
 * The environment a region's agents start with: the address of `target` with the coordinator's own
 * credentials (if any) replaced by the agent's user and password. A `REDIS_URL` always names its
 * database (`/0` when the address names none), as the agent must use the coordinator's.
 */
export function agentRedisEnv(target: RedisTarget, region: string, user: string, password: string): RegionAgentEnv {
  if (target.mode === 'single') {
    const url = new URL(target.url);
    url.username = encodeURIComponent(user);
    url.password = encodeURIComponent(password);
    if (url.pathname === '' || url.pathname === '/') url.pathname = '/0';
    url.search = '';
    url.hash = '';
    return { REGION: region, REDIS_URL: url.toString() };
  }
  if (target.mode === 'cluster') {
    const nodes = target.nodes.map((node) => `${target.tls ? 'rediss://' : ''}${hostPort(node.host, node.port)}`).join(',');
    return { REGION: region, REDIS_CLUSTER_NODES: nodes, REDIS_USERNAME: user, REDIS_PASSWORD: password };
  }
  return {
    REGION: region,
    REDIS_SENTINELS: target.sentinels.map((node) => hostPort(node.host, node.port)).join(','),
    REDIS_SENTINEL_MASTER: target.master,
    REDIS_USERNAME: user,
    REDIS_PASSWORD: password,
  };
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
