import { execFile } from 'node:child_process';
import { Cluster } from 'ioredis';
import { freePort, waitFor } from './processes';
import { startRedis, type BenchRedis, type RedisOptions } from './redis-server';

/**
 * A bench-owned Redis Cluster: `masters` private `redis-server`s in cluster mode (no replicas:
 * the bench measures where the work lands, and replicas would only take CPU from the box), each
 * on a free loopback port with its data in a temp dir, created with `redis-cli --cluster create`.
 */
export interface BenchRedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,...`, for `REDIS_CLUSTER_NODES`. */
  nodes: string;
  /** The masters, each with a direct connection (INFO per node). */
  masters: BenchRedis[];
  /** A cluster client (BullMQ-compatible: `maxRetriesPerRequest: null`). */
  client: Cluster;
  /** A new cluster client; closed by `stop()`. */
  connect(): Cluster;
  stop(): Promise<void>;
}

function redisCli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null || /\[ERR\]/.test(stdout)) reject(new Error(`redis-cli ${args.join(' ')} failed: ${error?.message ?? ''}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

export async function startRedisCluster(masterCount: number, options: RedisOptions = {}): Promise<BenchRedisCluster> {
  const masters: BenchRedis[] = [];
  const clients: Cluster[] = [];
  const stop = async (): Promise<void> => {
    for (const client of clients.splice(0)) client.disconnect();
    await Promise.all(masters.map((master) => master.stop()));
  };
  try {
    for (let i = 0; i < masterCount; i++) {
      // The bus port is chosen too: port + 10000 (Redis's default) may be taken or above 65535.
      const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000', '--cluster-port', String(await freePort())];
      masters.push(await startRedis({ ...options, args: [...(options.args ?? []), ...args] }));
    }
    const addresses = masters.map((master) => `127.0.0.1:${master.port}`);
    await redisCli(['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await waitFor(
      'every node of the cluster to say cluster_state:ok and agree on the slots',
      async () => {
        const states = await Promise.all(masters.map(async (master) => /^cluster_state:ok/m.test(String(await master.client.call('CLUSTER', 'INFO')))));
        if (!states.every(Boolean)) return undefined;
        await redisCli(['--cluster', 'check', addresses[0] ?? '']);
        return true;
      },
      30_000,
      100,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const connect = (): Cluster => {
    const client = new Cluster(
      masters.map((master) => ({ host: '127.0.0.1', port: master.port })),
      { redisOptions: { maxRetriesPerRequest: null } },
    );
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  };
  return { nodes: masters.map((master) => `127.0.0.1:${master.port}`).join(','), masters, client: connect(), connect, stop };
}
