import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { eventually } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { generateSecretsKey } from './secret-box';
import type { ResealReport } from './secrets-reseal.service';

const keyIdOf = (key: string) => createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);

/** The ids of the keys the stored monitor's sealed values are sealed under. */
function sealedKeyIds(json: string): string[] {
  return [...json.matchAll(/"v1\.([0-9a-f]{8})\./g)].map((match) => match[1]!);
}

/**
 * Key rotation on a Redis of its own (the pass reads every monitor): monitors sealed under the old
 * key, and one stored in clear by a version that did not seal, are written again under the new key
 * by the pass at boot, then open with the new key alone.
 */
describe('secrets key rotation', () => {
  let redisServer: PrivateRedis;
  let redis: Redis;
  const oldKey = generateSecretsKey();
  const newKey = generateSecretsKey();
  const ids: string[] = [];
  const running: TestCoordinator[] = [];

  async function coordinatorWith(secretsKey: string, previous?: string): Promise<TestCoordinator> {
    const coordinator = await startTestCoordinator({ redisUrl: redisServer.url, secretsKey, ...(previous ? { secretsKeyPrevious: [previous] } : {}) });
    running.push(coordinator);
    return coordinator;
  }

  async function stored(id: string): Promise<string> {
    return (await redis.hget(coordinatorKeys.monitor(id), 'json')) ?? '';
  }

  async function resealNow(coordinator: TestCoordinator): Promise<ResealReport> {
    const response = await coordinator.request('/v1/secrets/reseal', { method: 'POST' });
    expect(response.status).toBe(200);
    return (await response.json()) as ResealReport;
  }

  beforeAll(async () => {
    redisServer = new PrivateRedis(await freePort());
    await redisServer.start();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await Promise.all(running.map((coordinator) => coordinator.close()));
    await redis.quit();
    await redisServer.destroy();
  });

  it('re-seals at boot what the previous key sealed, and what was stored in clear', async () => {
    const before = await coordinatorWith(oldKey);
    for (const n of [1, 2]) {
      const response = await before.request('/v1/monitors', {
        method: 'POST',
        json: { name: `m${n}`, regions: ['eu'], intervalSeconds: 3_600, url: `https://u${n}:pa55-${n}@shop.example/`, headers: { 'X-Api-Key': `k3y-${n}` } },
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    await before.close();
    running.splice(running.indexOf(before), 1);
    expect(sealedKeyIds(await stored(ids[0]!))).toEqual([keyIdOf(oldKey), keyIdOf(oldKey)]);
    // The second monitor as a version that did not seal secrets stored it.
    const legacy = JSON.parse(await stored(ids[1]!)) as { sealed?: unknown; spec: Record<string, unknown> };
    delete legacy.sealed;
    legacy.spec = { ...legacy.spec, url: 'https://u2:pa55-2@shop.example/', headers: { 'X-Api-Key': 'k3y-2' } };
    await redis.hset(coordinatorKeys.monitor(ids[1]!), 'json', JSON.stringify(legacy));

    const rotated = await coordinatorWith(newKey, oldKey);
    await eventually(
      async () => {
        const all = await Promise.all(ids.map(stored));
        return all.every((json) => sealedKeyIds(json).length === 2 && sealedKeyIds(json).every((id) => id === keyIdOf(newKey))) ? true : undefined;
      },
      10_000,
      'every monitor re-sealed under the new key',
    );
    for (const id of ids) {
      const json = await stored(id);
      for (const secret of ['pa55', 'k3y', 'u1:', 'u2:']) expect(json).not.toContain(secret);
    }
    expect(await resealNow(rotated)).toEqual({ monitors: { resealed: 0, failedCount: 0, failed: [] } });
  });

  it('opens them with the new key alone once the previous one is removed', async () => {
    const after = await coordinatorWith(newKey);
    const repository = after.app.get(MonitorsRepository);
    const monitors = await Promise.all(ids.map((id) => repository.get(id)));
    expect(monitors.map((stored) => [stored?.monitor.spec.url, stored?.monitor.spec.headers['X-Api-Key']])).toEqual([
      ['https://u1:pa55-1@shop.example/', 'k3y-1'],
      ['https://u2:pa55-2@shop.example/', 'k3y-2'],
    ]);
    const shown = await after.request(`/v1/monitors/${ids[0]}`);
    expect(((await shown.json()) as { spec: { url: string } }).spec.url).toBe('https://***@shop.example/');
  });

  it('reports, without failing, what a coordinator with the wrong key cannot open; listing still works', async () => {
    const wrong = await coordinatorWith(generateSecretsKey());
    const report = await resealNow(wrong);
    expect(report.monitors).toMatchObject({ resealed: 0, failedCount: 2 });
    expect(report.monitors.failed.map((failure) => failure.id).sort()).toEqual([...ids].sort());
    expect(report.monitors.failed[0]?.reason).toMatch(/neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS/);
    expect((await wrong.request('/v1/monitors')).status).toBe(200);
    // Nothing was written: the right key still opens every monitor.
    for (const id of ids) expect(sealedKeyIds(await stored(id)).every((keyId) => keyId === keyIdOf(newKey))).toBe(true);
  });
});
