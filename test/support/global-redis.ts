/**
 * Vitest global setup: every suite of one run shares one Redis, found the way the README says:
 * `REDIS_URL` when set, else a `redis:7` container where a Docker engine answers, else a
 * `redis-server` started here on a free loopback port (and stopped at the end of the run).
 * Suites read it from `REDIS_URL`; suites that restart or count clients start their own.
 */
import { startRedis, type TestRedis } from './redis-server';

let redis: TestRedis | undefined;

export async function setup(): Promise<void> {
  const given = process.env['REDIS_URL'];
  if (given !== undefined && given !== '') return;
  redis = await startRedis();
  process.env['REDIS_URL'] = redis.url;
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}
