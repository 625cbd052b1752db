/**
 * test/support/redis-cluster.ts: a real Redis Cluster of 3 masters and 3 replicas on loopback.
 * Keys written through an ioredis `Cluster` land on all three masters; a master SIGKILLed is
 * replaced by its replica, the client carries on, and what was written with `WAIT 1` before is
 * still there; the killed node comes back as a replica; `stop()` leaves no process behind.
 */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect, waitUntil } from './support/net';
import { leakedProcesses } from './support/processes';
import { nodeCommand, startRedisCluster, stopAllRedisClusters, type TestRedisCluster } from './support/redis-cluster';

let cluster: TestRedisCluster;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = new Cluster([...cluster.startupNodes], { redisOptions: { maxRetriesPerRequest: null }, clusterRetryStrategy: () => 100 });
  client.on('error', () => undefined);
});

afterAll(async () => {
  client?.disconnect();
  await stopAllRedisClusters();
});

describe('a Redis Cluster of 3 masters and 3 replicas from redis-server', () => {
  it('is ok on every node, each master with one replica in sync', async () => {
    const masters = await cluster.masters();
    expect(masters).toHaveLength(3);
    expect(masters.every((master) => master.replicas.length === 1)).toBe(true);
    expect(cluster.nodes.split(',')).toHaveLength(6);
    for (const address of cluster.nodes.split(',')) {
      expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      const info = String(await nodeCommand(Number(address.split(':')[1]), 'CLUSTER', 'INFO'));
      expect(info).toContain('cluster_state:ok');
    }
  });

  it('spreads keys written through an ioredis Cluster over all three masters', async () => {
    for (let i = 0; i < 300; i++) await client.set(`spread:${i}`, String(i));
    const masters = await cluster.masters();
    const counts = await Promise.all(masters.map(async (master) => Number(await nodeCommand(master.port, 'DBSIZE'))));
    expect(counts.every((count) => count > 0)).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    // Hash tags keep keys together: one slot, one master.
    for (let i = 0; i < 20; i++) await client.set(`{tagged}:${i}`, 'x');
    const tagged = await cluster.masterOf('{tagged}:0');
    expect(Number(await nodeCommand(tagged.port, 'EXISTS', ...Array.from({ length: 20 }, (_, i) => `{tagged}:${i}`)))).toBe(20);
  });

  it('promotes the replica of a SIGKILLed master; the client carries on and keeps what was written with WAIT 1', async () => {
    const key = '{failover}:before';
    const victim = await cluster.masterOf(key);
    await client.set(key, 'kept');
    // WAIT counts the replicas that have this connection's writes: the write went over the
    // client's connection to that master, so WAIT is sent on the same one.
    const connection = client.nodes('master').find((node) => node.options.port === victim.port);
    expect(connection).toBeDefined();
    expect(await connection?.wait(1, 5_000)).toBe(1);

    const killed = await cluster.killMaster(key);
    expect(killed.address).toBe(victim.address);
    expect(await canConnect('127.0.0.1', victim.port, 300)).toBe(false);
    const promoted = await cluster.waitForPromotion();
    expect(killed.replicas).toContain(promoted.address);
    expect((await cluster.masterOf(key)).address).toBe(promoted.address);

    // The client finds the new master by itself (MOVED / refreshed slots): writes to that slot succeed again.
    await waitUntil('a write to the failed-over slot', async () => ((await client.set('{failover}:after', 'new')) === 'OK' ? true : undefined), { timeoutMs: 20_000, intervalMs: 200 });
    expect(await client.get(key)).toBe('kept');
    expect(await client.get('{failover}:after')).toBe('new');
    expect(await client.get('spread:7')).toBe('7');

    // The killed node comes back as a replica of its successor.
    await cluster.restartNode(killed.address);
    const masters = await cluster.masters();
    expect(masters.map((master) => master.address)).not.toContain(killed.address);
    expect(masters.find((master) => master.address === promoted.address)?.replicas.map((replica) => replica.address)).toContain(killed.address);
  });

  it('stop() kills every node and leaves no process behind', async () => {
    const other = await startRedisCluster({ masters: 3, replicasPerMaster: 0 });
    const ports = other.startupNodes.map((node) => node.port);
    expect(ports).toHaveLength(3);
    await other.stop();
    for (const port of ports) expect(await canConnect('127.0.0.1', port, 300)).toBe(false);
    await cluster.stop();
    expect(leakedProcesses()).toEqual([]);
  });
});
