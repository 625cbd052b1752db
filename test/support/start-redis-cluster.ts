/**
 * A local Redis Cluster by hand, from the suites' harness (see docs/redis-cluster.md):
 *
 *   npx vite-node test/support/start-redis-cluster.ts [masters] [replicasPerMaster]
 *
 * Starts it on free loopback ports, prints `REDIS_CLUSTER_NODES=...` and the masters, and keeps
 * it until Ctrl-C (or SIGTERM), when every node is stopped and its data removed.
 */
import { startRedisCluster } from './redis-cluster';

async function main(): Promise<void> {
  const [mastersArg, replicasArg] = process.argv.slice(2);
  const masters = mastersArg === undefined ? 3 : Number(mastersArg);
  const replicasPerMaster = replicasArg === undefined ? 1 : Number(replicasArg);
  const startedAt = Date.now();
  const cluster = await startRedisCluster({ masters, replicasPerMaster });
  process.stdout.write(`Redis Cluster ready in ${Date.now() - startedAt} ms\n`);
  for (const master of await cluster.masters()) {
    const slots = master.slots.map(([from, to]) => `${from}-${to}`).join(',');
    process.stdout.write(`  master ${master.address} slots ${slots}; replicas ${master.replicas.map((replica) => replica.address).join(', ') || 'none'}\n`);
  }
  process.stdout.write(`REDIS_CLUSTER_NODES=${cluster.nodes}\n(Ctrl-C stops it)\n`);
  const stop = (): void => {
    void cluster.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  setInterval(() => undefined, 60_000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
