/**
 * Vitest global setup: every suite of one run shares one Redis, found the way the README says:
 * `REDIS_URL` when set, else a `redis:7` container where a Docker engine answers, else a
 * `redis-server` started here on a free loopback port (and stopped at the end of the run).
 * Suites read it from `REDIS_URL`; suites that restart or count clients start their own.
 *
 * On a cluster run (`CROSSCHECK_TEST_REDIS=cluster`, in the project's `env` or the shell) it
 * starts one Redis Cluster of 3 masters and 3 replicas instead and provides its nodes as
 * `redisClusterNodes` (see suite-redis.ts).
 */
import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import { startRedisCluster } from './redis-cluster';
import { startRedis } from './redis-server';
import { testRedisMode } from './redis-mode';

/** Starts the run's Redis (or cluster); returns its teardown. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mode = testRedisMode({ ...process.env, ...project.config.env });
  if (mode === 'cluster') {
    const cluster = await startRedisCluster();
    project.provide('redisClusterNodes', cluster.nodes);
    return () => cluster.stop();
  }
  project.provide('redisClusterNodes', undefined);
  const given = process.env['REDIS_URL'];
  if (given !== undefined && given !== '') return () => Promise.resolve();
  const redis = await startRedis();
  process.env['REDIS_URL'] = redis.url;
  return () => redis.stop();
}
