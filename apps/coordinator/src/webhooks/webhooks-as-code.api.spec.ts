import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { WebhooksRepository } from './webhooks.repository';

interface Shown {
  id: string;
  key: string;
  url: string;
  enabled: boolean;
  state: string;
  revision: number;
  secret?: string;
}

interface Problem {
  message: string;
  issues?: { path: string; message: string }[];
}

/** What configuration as code needs of the webhooks API: keys, revisions with If-Match, dry runs. */
describe('webhooks as code', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
  });

  afterAll(async () => {
    await coordinator.close();
    await redis.destroy();
  });

  const send = (method: string, path: string, json?: unknown, headers: Record<string, string> = {}) =>
    coordinator.request(path, { method, headers, ...(json !== undefined ? { json } : {}) });

  async function create(body: Record<string, unknown>): Promise<Shown> {
    const response = await send('POST', '/v1/webhooks', body);
    expect(response.status).toBe(201);
    return (await response.json()) as Shown;
  }

  const read = async (id: string) => (await (await send('GET', `/v1/webhooks/${id}`)).json()) as Shown;

  it('keys: unique under a race, shown (the id when none), found with ?key=, never changed, freed on delete', async () => {
    const responses = await Promise.all([1, 2, 3].map((n) => send('POST', '/v1/webhooks', { key: 'pager', url: `https://hooks.example/${n}` })));
    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409]);
    const pager = (await responses.find((response) => response.status === 201)!.json()) as Shown;
    expect(pager.key).toBe('pager');
    const loser = responses.find((response) => response.status === 409)!;
    expect(((await loser.json()) as Problem).message).toBe(`webhook key pager is taken by ${pager.id}`);

    const keyless = await create({ url: 'https://hooks.example/keyless' });
    expect(keyless.key).toBe(keyless.id);
    const find = async (key: string) => ((await (await send('GET', `/v1/webhooks?key=${key}`)).json()) as { items: Shown[] }).items.map((w) => w.id);
    expect(await find('pager')).toEqual([pager.id]);
    expect(await find(keyless.id)).toEqual([keyless.id]);
    expect(await find(pager.id)).toEqual([]);
    expect(await find('nobody')).toEqual([]);

    const renamed = await send('PATCH', `/v1/webhooks/${pager.id}`, { key: 'pager-2' });
    expect(renamed.status).toBe(400);
    expect(((await renamed.json()) as Problem).issues).toEqual([{ path: 'key', message: 'cannot change (renaming is delete + create)' }]);
    expect((await send('PATCH', `/v1/webhooks/${pager.id}`, { key: 'pager', description: 'restated' })).status).toBe(200);
    expect((await send('POST', '/v1/webhooks', { key: 'wh_23ocd2bqb2n2g4vyifld', url: 'https://hooks.example/x' })).status).toBe(400);

    expect((await send('DELETE', `/v1/webhooks/${pager.id}`)).status).toBe(204);
    expect((await create({ key: 'pager', url: 'https://hooks.example/again' })).key).toBe('pager');
  });

  it('revisions: ETag on every answer, If-Match on PATCH and DELETE, a disable counts as a change', async () => {
    const response = await send('POST', '/v1/webhooks', { url: 'https://hooks.example/rev' });
    const endpoint = (await response.json()) as Shown;
    expect([endpoint.revision, response.headers.get('etag')]).toEqual([1, '"1"']);
    const get = await send('GET', `/v1/webhooks/${endpoint.id}`);
    expect(get.headers.get('etag')).toBe('"1"');

    const patched = await send('PATCH', `/v1/webhooks/${endpoint.id}`, { url: 'https://hooks.example/rev2', events: ['incident.opened'], description: null, enabled: true }, { 'if-match': '"1"' });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    const stale = await send('PATCH', `/v1/webhooks/${endpoint.id}`, { url: 'https://hooks.example/lost' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as Problem).message).toBe(`webhook ${endpoint.id} is at revision 2, not 1 (If-Match): it changed since you read it`);
    expect((await read(endpoint.id)).url).toBe('https://hooks.example/rev2');
    expect((await send('PATCH', `/v1/webhooks/${endpoint.id}`, { description: 'x' }, { 'if-match': 'W/"2"' })).status).toBe(412);
    expect((await send('PATCH', `/v1/webhooks/${endpoint.id}`, { description: 'x' }, { 'if-match': '2' })).status).toBe(400);

    // Disabled by the delivery side (410 Gone, failing too long): a configuration read before is stale.
    expect(await coordinator.app.get(WebhooksRepository, { strict: false }).disable(endpoint.id, 'receiver answered 410 Gone', new Date().toISOString())).toBe(true);
    expect(await read(endpoint.id)).toMatchObject({ enabled: false, revision: 3 });

    expect((await send('DELETE', `/v1/webhooks/${endpoint.id}`, undefined, { 'if-match': '"2"' })).status).toBe(412);
    expect((await send('GET', `/v1/webhooks/${endpoint.id}`)).status).toBe(200);
    expect((await send('DELETE', `/v1/webhooks/${endpoint.id}`, undefined, { 'if-match': '*' })).status).toBe(204);
  });

  it('an endpoint stored before revisions is at revision 1 and takes If-Match "1"', async () => {
    const endpoint = await create({ url: 'https://hooks.example/legacy' });
    const admin = new Redis(redis.url);
    try {
      await admin.hdel(coordinatorKeys.webhook(endpoint.id), 'revision');
    } finally {
      await admin.quit();
    }
    expect((await read(endpoint.id)).revision).toBe(1);
    const patched = await send('PATCH', `/v1/webhooks/${endpoint.id}`, { description: 'upgraded' }, { 'if-match': '"1"' });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as Shown).revision).toBe(2);
  });

  it('dry runs: PATCH lists the changes of the whole document and stores nothing; POST lists every field and creates nothing', async () => {
    const endpoint = await create({ key: 'ops', url: 'https://hooks.example/ops', events: ['incident.opened'] });
    const dry = await send('PATCH', `/v1/webhooks/${endpoint.id}?dryRun=true`, {
      key: 'ops',
      url: 'https://hooks.example/ops-v2',
      events: ['incident.opened', 'incident.resolved'],
      description: null,
      enabled: false,
    });
    expect(dry.status).toBe(200);
    expect(dry.headers.get('etag')).toBeNull();
    const answer = (await dry.json()) as { dryRun: true; changes: unknown[]; result: Shown };
    expect(answer.changes).toEqual([
      { path: 'url', before: 'https://hooks.example/ops', after: 'https://hooks.example/ops-v2' },
      { path: 'events.1', after: 'incident.resolved' },
      { path: 'enabled', before: true, after: false },
    ]);
    expect(answer.result).toMatchObject({ url: 'https://hooks.example/ops-v2', enabled: false, state: 'disabled', revision: 2 });
    expect(await read(endpoint.id)).toMatchObject({ url: 'https://hooks.example/ops', enabled: true, revision: 1 });
    expect((await send('PATCH', `/v1/webhooks/${endpoint.id}?dryRun=true`, { url: 'ftp://x' })).status).toBe(400);
    expect((await send('PATCH', `/v1/webhooks/${endpoint.id}?dryRun=true`, { url: 'https://hooks.example/z' }, { 'if-match': '"5"' })).status).toBe(412);

    const post = await send('POST', '/v1/webhooks?dryRun=true', { key: 'planned', url: 'https://hooks.example/planned' });
    expect(post.status).toBe(200);
    const planned = (await post.json()) as { changes: { path: string }[]; result: Shown };
    expect(planned.result).not.toHaveProperty('secret');
    expect(planned.changes.map((change) => change.path)).toEqual(['key', 'url', 'events.0', 'events.1', 'events.2', 'events.3', 'events.4', 'description', 'enabled']);
    expect(((await (await send('GET', '/v1/webhooks?key=planned')).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await send('POST', '/v1/webhooks?dryRun=true', { key: 'ops', url: 'https://hooks.example/dup' })).status).toBe(409);
  });
});
