import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

const MASTER_NAME = 'crosscheck';

async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `REDIS_SENTINELS`: a real master, its replica and a sentinel watching them; the coordinator finds
 * the master through the sentinel and follows a failover to the replica.
 */
describe('Redis behind Sentinel', () => {
  let master: PrivateRedis;
  let replica: PrivateRedis;
  let sentinel: ChildProcess;
  let sentinelPort = 0;
  let sentinelClient: Redis;
  const dir = mkdtempSync(join(tmpdir(), 'cc-sentinel-'));
  let coordinator: TestCoordinator;
  const region = randomRegion('sentinel');

  beforeAll(async () => {
    master = new PrivateRedis(await freePort());
    await master.start();
    replica = new PrivateRedis(await freePort(), ['--replicaof', '127.0.0.1', String(master.port)]);
    await replica.start();
    sentinelPort = await freePort();
    const config = join(dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
      ].join('\n'),
    );
    sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
    sentinelClient = new Redis(sentinelPort, '127.0.0.1', { maxRetriesPerRequest: 1 });
    sentinelClient.on('error', () => undefined); // refused until the sentinel listens
    // The sentinel has found the replica (through the master) before anything relies on a failover.
    await eventually(async () => {
      const replicas = (await sentinelClient.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[];
      return replicas.length > 0 ? true : undefined;
    }, 15_000, 'the sentinel to know the replica');
    coordinator = await startTestCoordinator({ redis: { mode: 'sentinel', sentinels: [{ host: '127.0.0.1', port: sentinelPort }], master: MASTER_NAME } });
  }, 60_000);

  afterAll(async () => {
    await coordinator?.close();
    sentinelClient?.disconnect();
    sentinel?.kill('SIGKILL');
    await replica?.destroy();
    await master?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const createMonitor = (name: string) =>
    coordinator.request('/v1/monitors', { method: 'POST', json: { name, url: 'http://127.0.0.1:9/', regions: [region], intervalSeconds: 60 } });

  it('works on the master the sentinel names, and on the replica it promotes', async () => {
    const before = await createMonitor('before failover');
    expect(before.status).toBe(201);
    const { id } = (await before.json()) as { id: string };
    // The replica has it before the failover (WAIT on the master the sentinel names).
    const direct = new Redis(master.url, { maxRetriesPerRequest: 1 });
    await direct.wait(1, 5_000);
    direct.disconnect();

    await sentinelClient.call('SENTINEL', 'FAILOVER', MASTER_NAME);
    await eventually(async () => {
      const [, port] = (await sentinelClient.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
      return Number(port) === replica.port ? true : undefined;
    }, 20_000, 'the sentinel to promote the replica');

    // Writes go to the new master once the coordinator has followed it (a 503 meanwhile, never a 500).
    const after = await eventually(async () => {
      const response = await createMonitor('after failover');
      if (response.status !== 201) expect(response.status).toBe(503);
      return response.status === 201 ? response : undefined;
    }, 20_000, 'a write through the new master');
    expect(after.status).toBe(201);
    expect((await coordinator.request(`/v1/monitors/${id}`)).status).toBe(200);
    const promoted = new Redis(replica.url, { maxRetriesPerRequest: 1 });
    expect(await promoted.call('ROLE')).toEqual(expect.arrayContaining(['master']));
    promoted.disconnect();
  }, 60_000);
});
