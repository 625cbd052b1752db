/**
 * Which Redis an end-to-end run is on: `CROSSCHECK_TEST_REDIS=cluster` (the `e2e-cluster` vitest
 * project sets it, or set it by hand) for a Redis Cluster, else one Redis. Read by the global
 * setup (which must not import `vitest` itself) and by suite-redis.ts.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's shared Redis Cluster (`host:port,...`), when the run is on a cluster. */
    redisClusterNodes: string | undefined;
  }
}

/** Which Redis the run is on. */
export type TestRedisMode = 'single' | 'cluster';

/** `CROSSCHECK_TEST_REDIS`: `cluster`, else `single` (a value that is neither is an error). */
export function testRedisMode(env: NodeJS.ProcessEnv = process.env): TestRedisMode {
  const value = env['CROSSCHECK_TEST_REDIS'];
  if (value === undefined || value === '' || value === 'single') return 'single';
  if (value === 'cluster') return 'cluster';
  throw new Error(`CROSSCHECK_TEST_REDIS must be "single" or "cluster" (got ${JSON.stringify(value)})`);
}
