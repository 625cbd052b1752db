import { Redis } from 'ioredis';
import { freePort, logTail, makeTempDir, startProcess, waitFor, type Managed } from './processes';

export interface BenchRedis {
  url: string;
  port: number;
  process: Managed;
  /** A command connection (BullMQ-compatible: `maxRetriesPerRequest: null`). */
  client: Redis;
  /** A new connection to the same server; closed by `stop()`. */
  connect(): Redis;
  /** Deletes every key: only ever used on this bench-owned server. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** CPU to pin the server to. */
  cpu?: number;
  /** Append-only file with fsync every second, as production runs (DESIGN.md, Storage). */
  aof?: boolean;
  /** More `redis-server` arguments (cluster mode: see redis-cluster.ts). */
  args?: readonly string[];
}

/**
 * A private `redis-server` on a free loopback port with its data dir in a temp dir, so the bench
 * neither disturbs nor is disturbed by anyone else's Redis (a test suite flushing the shared one
 * mid-run, say). Everything the bench writes dies with it.
 */
export async function startRedis(options: RedisOptions = {}): Promise<BenchRedis> {
  const port = await freePort();
  const dir = makeTempDir('crosscheck-bench-redis-');
  const proc = startProcess({
    name: `redis-${port}`,
    command: 'redis-server',
    args: [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--save', '',
      '--appendonly', options.aof ? 'yes' : 'no',
      '--appendfsync', 'everysec',
      '--maxmemory-policy', 'noeviction',
      '--loglevel', 'warning',
      ...(options.args ?? []),
    ],
    ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
  });
  const url = `redis://127.0.0.1:${port}`;
  const clients: Redis[] = [];
  const connect = (): Redis => {
    const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  const client = connect();
  try {
    await waitFor('redis-server to answer', async () => ((await client.ping()) === 'PONG' ? true : undefined), 10_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${logTail(proc)}`);
  }
  return {
    url,
    port,
    process: proc,
    client,
    connect,
    flush: async () => {
      await client.flushall();
    },
    stop: async () => {
      for (const c of clients) c.disconnect();
      await proc.stop(5_000);
    },
  };
}
