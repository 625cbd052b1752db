import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { moveOf } from './key-layout-v2';
import { migrateKeyLayout } from './migrate-key-layout';

/** Today's name of a key back to the layout before hash tags (what a version-1 coordinator wrote). */
function oldNameOf(key: string): string {
  return key.replace(/^cc:r:\{([^}]+)\}:/, 'cc:r:$1:').replace(/^cc:\{[^}]+\}:/, 'cc:c:');
}

/**
 * A Redis as a version-1 coordinator left it: data written through today's API, every key then moved
 * back to its old name (the per-shard indexes and outboxes merged into one, as they were), then
 * migrated and read by a coordinator again.
 */
describe('migrating the key layout before hash tags', () => {
  let redis: PrivateRedis;
  let admin: Redis;
  let coordinator: TestCoordinator;
  const region = randomRegion('migrate');
  let monitorId = '';
  let tokenId = '';
  let token = '';
  let webhookId = '';
  const incidentId = (id: string) => `inc_${id}_1796000000000`;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
    const monitor = await coordinator.request('/v1/monitors', {
      method: 'POST',
      json: { name: 'migrated', url: 'http://127.0.0.1:9/', regions: [region], intervalSeconds: 60 },
    });
    expect(monitor.status).toBe(201);
    monitorId = ((await monitor.json()) as { id: string }).id;
    const created = (await (await coordinator.request('/v1/tokens', { method: 'POST', json: { name: 'ci', scope: 'read' } })).json()) as { id: string; token: string };
    tokenId = created.id;
    token = created.token;
    const webhook = await coordinator.request('/v1/webhooks', { method: 'POST', json: { url: 'http://127.0.0.1:9/hook' } });
    webhookId = ((await webhook.json()) as { id: string }).id;
    await coordinator.close();

    // Back to version 1's names: rename every key, merging what is now split by shard.
    const keys = await admin.keys('cc:*');
    for (const key of keys) {
      const old = oldNameOf(key);
      if (old === key) continue;
      const type = await admin.type(key);
      if (type === 'zset' && /:(incidents|incidents:open|checks:deadlines)$/.test(old)) {
        const flat = await admin.zrange(key, 0, -1, 'WITHSCORES');
        for (let i = 0; i + 1 < flat.length; i += 2) await admin.zadd(old, flat[i + 1]!, flat[i]!);
        await admin.del(key);
      } else if (type === 'stream' && old.endsWith(':outbox')) {
        await admin.del(key);
      } else {
        await admin.rename(key, old);
      }
    }
    // An incident, its indexes, a history entry and a pending outbox event, as version 1 kept them.
    const id = incidentId(monitorId);
    await admin.set(`cc:c:incident:${id}`, JSON.stringify({ id, monitorId, state: 'open', openedAt: '2026-11-30T00:00:00.000Z' }));
    await admin.zadd('cc:c:incidents', 1796000000000, id);
    await admin.zadd('cc:c:incidents:open', 1796000000000, id);
    await admin.xadd(`cc:c:monitor:${monitorId}:history`, '*', 'record', JSON.stringify({ roundId: `${monitorId}-1796000000000`, monitorId, region, scheduledAt: 1796000000000, status: 'up', causes: [], evidence: null, agentId: 'a', agentVersion: '0', checkedAt: '2026-11-30T00:00:00.000Z' }), 'late', '0');
    await admin.xadd('cc:c:outbox', '*', 'id', `evt_${monitorId}_1796000000000_incident.opened`, 'type', 'incident.opened', 'event', '{}');
  }, 60_000);

  afterAll(async () => {
    await coordinator.close().catch(() => undefined);
    admin.disconnect();
    await redis.destroy();
  });

  it('knows what becomes of every kind of old key', () => {
    expect(moveOf('cc:c:monitors')).toEqual({ kind: 'rename', to: 'cc:{c}:monitors' });
    expect(moveOf('cc:r:eu-west:checks:wait')).toEqual({ kind: 'rename', to: 'cc:r:{eu-west}:checks:wait' });
    expect(moveOf('cc:c:rounds:meta')).toMatchObject({ kind: 'drop' });
    expect(moveOf('cc:c:outbox')).toEqual({ kind: 'split-outbox' });
    expect(moveOf('cc:{c}:monitors')).toBeNull();
    expect(moveOf('cc:r:{eu-west}:checks:wait')).toBeNull();
    expect(moveOf('other:key')).toBeNull();
  });

  it('refuses while a coordinator is connected', async () => {
    const running = await startTestCoordinator({ redisUrl: redis.url });
    try {
      await expect(migrateKeyLayout(admin)).rejects.toThrow(/stop every coordinator and agent first/);
    } finally {
      await running.close();
    }
  });

  it('moves every key, once, and a coordinator finds monitors, tokens, webhooks, history and incidents again', async () => {
    const dry = await migrateKeyLayout(admin, { dryRun: true });
    expect(dry.renamed).toBeGreaterThan(5);
    expect(await admin.exists('cc:c:monitors')).toBe(1);

    const report = await migrateKeyLayout(admin);
    expect(report.conflicts).toEqual([]);
    // The coordinator of the test before wrote its queues' bookkeeping again under the new names.
    expect(report.renamed + report.dropped - dry.dropped).toBe(dry.renamed);
    expect(await admin.keys('cc:c:*')).toEqual([]);
    expect((await admin.keys('cc:r:*')).filter((key) => !key.startsWith('cc:r:{'))).toEqual([]);
    expect(await migrateKeyLayout(admin)).toEqual({ renamed: 0, split: 0, dropped: 0, conflicts: [] });

    coordinator = await startTestCoordinator({ redisUrl: redis.url });
    expect((await coordinator.request(`/v1/monitors/${monitorId}`)).status).toBe(200);
    const tokens = (await (await coordinator.request('/v1/tokens')).json()) as { items: { id: string }[] };
    expect(tokens.items.map((item) => item.id)).toContain(tokenId);
    expect((await coordinator.request('/v1/monitors', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await coordinator.request(`/v1/webhooks/${webhookId}`)).status).toBe(200);
    const results = (await (await coordinator.request(`/v1/monitors/${monitorId}/results`)).json()) as { items: unknown[] };
    expect(results.items).toHaveLength(1);
    const incidents = (await (await coordinator.request('/v1/incidents?state=open')).json()) as { items: { id: string }[] };
    expect(incidents.items.map((item) => item.id)).toEqual([incidentId(monitorId)]);
    expect((await coordinator.request(`/v1/incidents/${incidentId(monitorId)}`)).status).toBe(200);
  }, 60_000);
});
