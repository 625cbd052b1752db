/**
 * The Redis of an end-to-end suite, single node or Redis Cluster, chosen by the run:
 * `CROSSCHECK_TEST_REDIS=cluster` (set by the `e2e-cluster` vitest project, or by hand) runs the
 * suite on a Redis Cluster of 3 masters and 3 replicas; anything else (the default) on one Redis
 * as `startRedis` finds it. A suite that restarts or crashes Redis gets one of its own; others
 * share the run's (the global setup's `REDIS_URL`, or its cluster, provided as
 * `redisClusterNodes`). The processes of the system read it from `redisEnv(target)`.
 */
import { Cluster, Redis } from 'ioredis';
import { inject } from 'vitest';
import { startRedisCluster, type TestRedisCluster } from './redis-cluster';
import { testRedisMode, type TestRedisMode } from './redis-mode';
import { startRedis, type StartRedisOptions, type TestRedis } from './redis-server';

/** Where the processes of the system find Redis: one server, or the nodes of a cluster. */
export type RedisTarget = { readonly url: string } | { readonly clusterNodes: string };

/** The environment that points a coordinator or agent at `target`. */
export function redisEnv(target: RedisTarget): Record<string, string> {
  return 'url' in target ? { REDIS_URL: target.url } : { REDIS_CLUSTER_NODES: target.clusterNodes };
}

/** `host:port,...` as ioredis `Cluster` startup nodes. */
export function clusterStartupNodes(nodes: string): Array<{ host: string; port: number }> {
  return nodes.split(',').map((item) => {
    const url = new URL(item.includes('://') ? item : `redis://${item}`);
    return { host: url.hostname, port: Number(url.port || 6379) };
  });
}

/** A client for `target` (ioredis `Redis` or `Cluster`), ready for BullMQ (`maxRetriesPerRequest: null`). */
export function connectTo(target: RedisTarget): Redis | Cluster {
  const client =
    'url' in target
      ? new Redis(target.url, { maxRetriesPerRequest: null })
      : new Cluster(clusterStartupNodes(target.clusterNodes), { redisOptions: { maxRetriesPerRequest: null }, clusterRetryStrategy: () => 200 });
  client.on('error', () => undefined);
  return client;
}

/** The Redis of one suite. */
export interface SuiteRedis {
  readonly mode: TestRedisMode;
  readonly target: RedisTarget;
  /** Its cluster (cluster mode, when the suite owns it). */
  readonly cluster: TestRedisCluster | undefined;
  /** A new client (see {@link connectTo}); closed by `stop()`. */
  connect(): Redis | Cluster;
  /** Redis stopped and started again (a cluster: every node); the data stays with `persistent`. */
  restart(): Promise<void>;
  /** SIGKILL (a cluster: every node); down until `start()`. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops what the suite owns, closes its clients. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The Redis for a suite in this run's mode (see the module comment). `options` are
 * `startRedis`'s: `persistent` or `restartable` get the suite its own Redis or cluster.
 */
export async function startSuiteRedis(options: StartRedisOptions = {}): Promise<SuiteRedis> {
  const mode = testRedisMode();
  if (mode === 'single') {
    const redis: TestRedis = await startRedis(options);
    return suiteRedis(mode, { url: redis.url }, undefined, redis);
  }
  const shared = options.persistent !== true && options.restartable !== true ? inject('redisClusterNodes') : undefined;
  if (shared !== undefined) {
    const notOwned = (what: string) => () => Promise.reject(new Error(`${what}() on the run's shared Redis Cluster: ask startSuiteRedis for { restartable: true } or { persistent: true }`));
    return suiteRedis(mode, { clusterNodes: shared }, undefined, { restart: notOwned('restart'), crash: notOwned('crash'), start: notOwned('start'), stop: () => Promise.resolve() });
  }
  const cluster = await startRedisCluster({ persistent: options.persistent === true });
  return suiteRedis(mode, { clusterNodes: cluster.nodes }, cluster, cluster);
}

/** What a suite's Redis does, whoever provides it. */
type RedisControls = Pick<SuiteRedis, 'restart' | 'crash' | 'start' | 'stop'>;

function suiteRedis(mode: TestRedisMode, target: RedisTarget, cluster: TestRedisCluster | undefined, controls: RedisControls): SuiteRedis {
  const clients: Array<Redis | Cluster> = [];
  return {
    mode,
    target,
    cluster,
    connect: () => {
      const client = connectTo(target);
      clients.push(client);
      return client;
    },
    restart: () => controls.restart(),
    crash: () => controls.crash(),
    start: () => controls.start(),
    stop: async () => {
      for (const client of clients.splice(0)) client.disconnect();
      await controls.stop();
    },
  };
}
