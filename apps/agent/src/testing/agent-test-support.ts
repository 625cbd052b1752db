/**
 * Helpers for the agent's specs: real Redis, real HTTP targets on loopback, unique regions.
 * Excluded from the build (see apps/agent/tsconfig.json); never imported by the agent itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { CHECK_QUEUE, CONTRACT_VERSION, regionPrefix, RESULT_QUEUE, roundIdFor, type CheckJob } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AgentConfig } from '../config/agent-config';

/** The shared test Redis (CI starts one on 6379 with nothing on disk). */
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A region name no other test uses, so keys never collide. */
export function uniqueRegion(): string {
  return `t-${randomBytes(6).toString('hex')}`;
}

/** A test agent's config; `redisUrl` is a shorthand for `redis: {mode: 'single', url}`. */
export function testConfig(region: string, options: Partial<AgentConfig> & { redisUrl?: string } = {}): AgentConfig {
  const { redisUrl, ...overrides } = options;
  return {
    redis: { mode: 'single', url: redisUrl ?? TEST_REDIS_URL },
    region,
    agentId: `spec-agent-${randomBytes(3).toString('hex')}`,
    concurrency: 20,
    resolve: [],
    allowPrivateTargets: true,
    allowLinkLocalTargets: false,
    shutdownGraceMs: 5_000,
    memoryBudgetBytes: 256 * 1024 * 1024,
    logLevel: 'silent',
    ...overrides,
  };
}

/** The coordinator's side of a region: where tests add check jobs and read results. */
export class RegionQueues {
  readonly checks: Queue;
  readonly results: Queue;
  readonly redis: Redis;

  constructor(
    readonly region: string,
    redisUrl: string = TEST_REDIS_URL,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const prefix = regionPrefix(region);
    this.checks = new Queue(CHECK_QUEUE, { connection: this.redis, prefix });
    this.results = new Queue(RESULT_QUEUE, { connection: this.redis, prefix });
    this.checks.on('error', () => undefined);
    this.results.on('error', () => undefined);
  }

  /** Removes every key of the region and closes the connection. */
  async cleanUp(): Promise<void> {
    await Promise.allSettled([this.checks.obliterate({ force: true }), this.results.obliterate({ force: true })]);
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${regionPrefix(this.region)}:*`, 'COUNT', 500);
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await this.checks.close();
    await this.results.close();
    await this.redis.quit();
  }
}

let monitorCounter = 0;

/** A valid check job for `region`, probing `url`, due now, deadline 10 s ahead. */
export function checkJob(region: string, url: string, overrides: Partial<CheckJob> = {}): CheckJob {
  monitorCounter += 1;
  const scheduledAt = Date.now() + monitorCounter;
  const monitorId = `mon_${randomBytes(12).toString('hex').slice(0, 20).replace(/[^a-z2-7]/g, 'a')}`;
  return {
    v: CONTRACT_VERSION,
    monitorId,
    roundId: roundIdFor(monitorId, scheduledAt),
    region,
    scheduledAt,
    deadline: scheduledAt + 10_000,
    spec: { url, cacheBypass: false, timeoutMs: 5_000 },
    ...overrides,
  };
}

/** A real HTTP server on a random 127.0.0.x address, counting the requests it sees. */
export interface TestTarget {
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}

export async function startTarget(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestTarget> {
  const host = `127.0.0.${randomInt(2, 250)}`;
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls `probe` until it returns something other than `undefined`, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits for a check job to finish and returns its final state. */
export async function settledJob(queue: Queue, jobId: string, timeoutMs = 8_000) {
  return waitFor(
    async () => {
      const job = await queue.getJob(jobId);
      if (!job) return undefined;
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') return undefined;
      // The job was read before it settled: read it again for its return value or failure.
      const settled = await queue.getJob(jobId);
      return settled ? { job: settled, state } : undefined;
    },
    timeoutMs,
    `job ${jobId} to finish`,
  );
}

export interface PrivateRedisOptions {
  args?: readonly string[];
  admin?: string;
}

/** A throwaway `redis-server` of our own, for tests that restart Redis or set ACL users. */
export class PrivateRedis {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly options: PrivateRedisOptions,
  ) {}

  /** `options.args` are added to redis-server's (e.g. `--aclfile`); `options.admin` are credentials with PING, when the default user is off. */
  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort(), options);
    await server.launch();
    return server;
  }

  /** A connection with the admin credentials given at start (the default user otherwise). */
  admin(): Redis {
    return new Redis(this.url(this.options.admin ?? ''));
  }

  url(credentials = ''): string {
    return `redis://${credentials ? `${credentials}@` : ''}127.0.0.1:${this.port}`;
  }

  /** Kills the server like a crash would (SIGKILL), and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
  }

  private async launch(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(this.options.args ?? [])],
      { stdio: 'ignore' },
    );
    const client = new Redis(this.url(this.options.admin ?? ''), { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          try {
            if (client.status !== 'ready') await client.connect();
            return (await client.ping()) === 'PONG' ? true : undefined;
          } catch {
            client.disconnect();
            return undefined;
          }
        },
        5_000,
        'redis-server to start',
      );
    } finally {
      client.disconnect();
    }
  }
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
