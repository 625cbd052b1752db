import { shardOf, shardPrefix, STATE_SHARDS } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUNDS_QUEUE } from '../queues/coordinator-queues';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { purgeRegions } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, TEST_REDIS_URL, type TestCoordinator } from '../testing/test-coordinator';

interface Shown {
  id: string;
  key: string;
  name: string;
  intervalSeconds: number;
  revision: number;
  spec: { headers: Record<string, string> };
}

interface Problem {
  statusCode: number;
  message: string;
  issues?: { path: string; message: string }[];
}

interface DryRunAnswer {
  dryRun: true;
  changes: { path: string; before?: unknown; after?: unknown; secret?: true }[];
  result: Shown;
}

/** What configuration as code needs of the monitors API: keys, revisions with If-Match, dry runs. */
describe('monitors as code', () => {
  let coordinator: TestCoordinator;
  let redis: Redis;
  let rounds: Queue[];
  const region = randomRegion('mac');
  const newRegion = randomRegion('mac-new');
  const created: string[] = [];
  const key = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

  const valid = (overrides: Record<string, unknown> = {}) => ({
    name: 'as code',
    regions: [region],
    intervalSeconds: 3_600,
    url: 'https://example.test/health',
    ...overrides,
  });

  async function send(method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return coordinator.request(path, { method, headers, ...(json !== undefined ? { json } : {}) });
  }

  async function create(body: Record<string, unknown> = valid()): Promise<Shown> {
    const response = await send('POST', '/v1/monitors', body);
    expect(response.status).toBe(201);
    const monitor = (await response.json()) as Shown;
    created.push(monitor.id);
    return monitor;
  }

  async function read(id: string): Promise<{ response: Response; monitor: Shown }> {
    const response = await send('GET', `/v1/monitors/${id}`);
    return { response, monitor: (await response.clone().json()) as Shown };
  }

  beforeAll(async () => {
    coordinator = await startTestCoordinator();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    rounds = Array.from({ length: STATE_SHARDS }, (_, shard) => new Queue(ROUNDS_QUEUE, { connection: redis, prefix: shardPrefix(shard) }));
  });

  afterAll(async () => {
    for (const id of created) await send('DELETE', `/v1/monitors/${id}`);
    await coordinator.close();
    await purgeRegions([region, newRegion]);
    await Promise.all(rounds.map((queue) => queue.close()));
    await redis.quit();
  });

  describe('keys', () => {
    it('a monitor created with a key shows it; one without shows its id', async () => {
      const withKey = await create(valid({ key: key('shop') }));
      expect(withKey.key).toMatch(/^shop-/);
      const without = await create();
      expect(without.key).toBe(without.id);
    });

    it('two creates with one key at once: exactly one 201, the others 409 naming the owner', async () => {
      const taken = key('race');
      const responses = await Promise.all(Array.from({ length: 4 }, () => send('POST', '/v1/monitors', valid({ key: taken }))));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409]);
      const winner = (await responses.find((response) => response.status === 201)!.json()) as Shown;
      created.push(winner.id);
      for (const response of responses.filter((r) => r.status === 409)) {
        expect(((await response.json()) as Problem).message).toBe(`monitor key ${taken} is taken by ${winner.id}`);
      }
      const page = (await (await send('GET', `/v1/monitors?key=${taken}`)).json()) as { items: Shown[]; nextCursor: null };
      expect(page).toEqual({ items: [winner], nextCursor: null });
    });

    it('a key never changes: PUT or PATCH with another is a 400 on key; restating it or leaving it out keeps it', async () => {
      const own = key('fixed');
      const monitor = await create(valid({ key: own }));
      for (const [method, body] of [
        ['PUT', valid({ key: key('other') })],
        ['PATCH', { key: key('other') }],
      ] as const) {
        const response = await send(method, `/v1/monitors/${monitor.id}`, body);
        expect(response.status, method).toBe(400);
        expect(((await response.json()) as Problem).issues).toEqual([{ path: 'key', message: 'cannot change (renaming is delete + create)' }]);
      }
      expect(((await (await send('PUT', `/v1/monitors/${monitor.id}`, valid({ key: own, name: 'restated' }))).json()) as Shown).key).toBe(own);
      expect(((await (await send('PUT', `/v1/monitors/${monitor.id}`, valid({ name: 'left out' }))).json()) as Shown).key).toBe(own);
      expect(((await (await send('PATCH', `/v1/monitors/${monitor.id}`, { key: null, name: 'patched' })).json()) as Shown).key).toBe(own);

      // A monitor without a key keeps none: its id is its key, and the only one it can be sent.
      const keyless = await create();
      expect((await send('PUT', `/v1/monitors/${keyless.id}`, valid({ key: keyless.id }))).status).toBe(200);
      expect((await redis.hget(coordinatorKeys.monitor(keyless.id), 'key'))).toBeNull();
      expect((await send('PUT', `/v1/monitors/${keyless.id}`, valid({ key: key('late') }))).status).toBe(400);
    });

    it('a key shaped like a resource id is refused on create', async () => {
      for (const id of ['mon_2b4kq7xa3dhv6mnpz2re', 'wh_23ocd2bqb2n2g4vyifld']) {
        const response = await send('POST', '/v1/monitors', valid({ key: id }));
        expect(response.status, id).toBe(400);
        expect(((await response.json()) as Problem).issues?.map((issue) => issue.path)).toEqual(['key']);
      }
    });

    it('?key= finds the monitor with that key, a keyless one by its id, and nothing else', async () => {
      const mine = key('find');
      const monitor = await create(valid({ key: mine }));
      const keyless = await create();
      const find = async (value: string) => ((await (await send('GET', `/v1/monitors?key=${value}`)).json()) as { items: Shown[] }).items.map((m) => m.id);
      expect(await find(mine)).toEqual([monitor.id]);
      expect(await find(keyless.id)).toEqual([keyless.id]);
      // A monitor with a key is not found by its id: its key is its address.
      expect(await find(monitor.id)).toEqual([]);
      expect(await find(key('nobody'))).toEqual([]);
      const bad = await send('GET', '/v1/monitors?key=Not%20A%20Key');
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Problem).issues?.map((issue) => issue.path)).toEqual(['key']);
    });

    it('deleting a monitor frees its key', async () => {
      const reused = key('reuse');
      const first = await create(valid({ key: reused }));
      expect((await send('DELETE', `/v1/monitors/${first.id}`)).status).toBe(204);
      const second = await create(valid({ key: reused }));
      expect(second.id).not.toBe(first.id);
    });
  });

  describe('revisions, ETag and If-Match', () => {
    it('every answer carries the revision, in the body and as a strong ETag', async () => {
      const response = await send('POST', '/v1/monitors', valid());
      const monitor = (await response.json()) as Shown;
      created.push(monitor.id);
      expect(monitor.revision).toBe(1);
      expect(response.headers.get('etag')).toBe('"1"');
      const put = await send('PUT', `/v1/monitors/${monitor.id}`, valid({ intervalSeconds: 1_800 }));
      expect(put.headers.get('etag')).toBe('"2"');
      const patch = await send('PATCH', `/v1/monitors/${monitor.id}`, { intervalSeconds: 900 });
      expect(((await patch.json()) as Shown).revision).toBe(3);
      expect(patch.headers.get('etag')).toBe('"3"');
      const { response: get, monitor: shown } = await read(monitor.id);
      expect(get.headers.get('etag')).toBe('"3"');
      expect(shown.revision).toBe(3);
      const page = (await (await send('GET', '/v1/monitors?limit=200')).json()) as { items: Shown[] };
      expect(page.items.find((m) => m.id === monitor.id)?.revision).toBe(3);
    });

    it('a matching If-Match writes; a stale one is a 412 naming both revisions and changes nothing', async () => {
      const monitor = await create();
      const matched = await send('PUT', `/v1/monitors/${monitor.id}`, valid({ intervalSeconds: 600 }), { 'if-match': '"1"' });
      expect(matched.status).toBe(200);
      const stale = await send('PUT', `/v1/monitors/${monitor.id}`, valid({ intervalSeconds: 60 }), { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(((await stale.json()) as Problem).message).toBe(`monitor ${monitor.id} is at revision 2, not 1 (If-Match): it changed since you read it`);
      const stalePatch = await send('PATCH', `/v1/monitors/${monitor.id}`, { intervalSeconds: 60 }, { 'if-match': '"1", W/"2"' });
      expect(stalePatch.status).toBe(412);
      const { monitor: after } = await read(monitor.id);
      expect(after).toMatchObject({ revision: 2, intervalSeconds: 600 });
    });

    it('If-Match * and a list that names the revision both write', async () => {
      const monitor = await create();
      expect((await send('PATCH', `/v1/monitors/${monitor.id}`, { name: 'star' }, { 'if-match': '*' })).status).toBe(200);
      expect((await send('PATCH', `/v1/monitors/${monitor.id}`, { name: 'listed' }, { 'if-match': '"7", "2"' })).status).toBe(200);
      expect((await read(monitor.id)).monitor).toMatchObject({ name: 'listed', revision: 3 });
    });

    it('a malformed If-Match is a 400 naming the header', async () => {
      const monitor = await create();
      for (const header of ['1', '"1', 'W/1', '"1", *']) {
        const response = await send('PATCH', `/v1/monitors/${monitor.id}`, { name: 'x' }, { 'if-match': header });
        expect(response.status, header).toBe(400);
        expect(((await response.json()) as Problem).issues?.map((issue) => issue.path)).toEqual(['If-Match']);
      }
      expect((await send('DELETE', `/v1/monitors/${monitor.id}`, undefined, { 'if-match': 'nope' })).status).toBe(400);
      expect((await read(monitor.id)).monitor.revision).toBe(1);
    });

    it('DELETE with a stale If-Match is a 412 and the monitor stays (with its schedule); a current one deletes', async () => {
      const monitor = await create();
      await send('PATCH', `/v1/monitors/${monitor.id}`, { name: 'moved on' });
      const stale = await send('DELETE', `/v1/monitors/${monitor.id}`, undefined, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(((await stale.json()) as Problem).message).toContain('is at revision 2, not 1');
      expect((await read(monitor.id)).response.status).toBe(200);
      expect(await rounds[shardOf(monitor.id)]!.getJobScheduler(monitor.id)).toBeDefined();
      expect((await send('DELETE', `/v1/monitors/${monitor.id}`, undefined, { 'if-match': '"2"' })).status).toBe(204);
      expect((await read(monitor.id)).response.status).toBe(404);
    });

    it('two writers racing with the same If-Match: one wins, the other gets 412 (never rebased)', async () => {
      const monitor = await create();
      const answers = await Promise.all(
        [300, 600].map((intervalSeconds) => send('PUT', `/v1/monitors/${monitor.id}`, valid({ intervalSeconds }), { 'if-match': '"1"' })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
      const winner = (await answers.find((answer) => answer.status === 200)!.json()) as Shown;
      expect((await read(monitor.id)).monitor).toMatchObject({ revision: 2, intervalSeconds: winner.intervalSeconds });
    });
  });

  describe('dry runs', () => {
    it('PUT ?dryRun=true lists the changes and stores nothing', async () => {
      const monitor = await create(valid({ expect: { json: [{ path: '$.ok', value: true }] } }));
      const response = await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid({ intervalSeconds: 30, expect: { json: [{ path: '$.ok', value: false }] } }));
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBeNull();
      const answer = (await response.json()) as DryRunAnswer;
      expect(answer.dryRun).toBe(true);
      expect(answer.changes).toEqual([
        { path: 'intervalSeconds', before: 3_600, after: 30 },
        { path: 'spec.expect.json.0.value', before: true, after: false },
      ]);
      expect(answer.result).toMatchObject({ id: monitor.id, intervalSeconds: 30, revision: 2 });
      expect((await read(monitor.id)).monitor).toMatchObject({ revision: 1, intervalSeconds: 3_600 });
      // Nothing changed: nothing listed.
      const same = (await (await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid({ expect: { json: [{ path: '$.ok', value: true }] } }))).json()) as DryRunAnswer;
      expect(same.changes).toEqual([]);
    });

    it('a changed secret header is listed as secret, without its values; its placeholder is no change', async () => {
      const monitor = await create(valid({ headers: { authorization: 'Bearer first-token', accept: 'application/json' } }));
      expect(monitor.spec.headers['authorization']).toBe('[redacted]');
      const response = await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid({ headers: { authorization: 'Bearer second-token', accept: 'application/json' } }));
      const text = await response.text();
      expect(text).not.toMatch(/first-token|second-token/);
      expect((JSON.parse(text) as DryRunAnswer).changes).toEqual([{ path: 'spec.headers.authorization', before: '[redacted]', after: '[redacted]', secret: true }]);
      const kept = await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid({ headers: { authorization: '[redacted]', accept: 'application/json' } }));
      expect(((await kept.json()) as DryRunAnswer).changes).toEqual([]);
    });

    it('a dry run validates in full: bad fields 400, another key 400, a stale If-Match 412', async () => {
      const monitor = await create(valid({ key: key('dry') }));
      expect((await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid({ intervalSeconds: 0 }))).status).toBe(400);
      expect((await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid({ key: key('renamed') }))).status).toBe(400);
      expect((await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid(), { 'if-match': '"9"' })).status).toBe(412);
      expect((await send('PUT', `/v1/monitors/${monitor.id}?dryRun=true`, valid(), { 'if-match': '"1"' })).status).toBe(200);
      expect((await send('PUT', `/v1/monitors/${monitor.id}?dryRun=maybe`, valid())).status).toBe(400);
    });

    it('POST ?dryRun=true lists every field, stores nothing, schedules nothing, registers no region', async () => {
      const wanted = key('planned');
      const response = await send('POST', '/v1/monitors?dryRun=true', valid({ key: wanted, regions: [newRegion], headers: { 'x-api-key': 'secret-value' } }));
      expect(response.status).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      const text = await response.text();
      expect(text).not.toContain('secret-value');
      const answer = JSON.parse(text) as DryRunAnswer;
      expect(answer.result).toMatchObject({ key: wanted, revision: 1, regions: [newRegion] });
      const paths = answer.changes.map((change) => change.path);
      expect(paths).toEqual(expect.arrayContaining(['key', 'name', 'regions.0', 'intervalSeconds', 'spec.url', 'spec.method', 'reconcile.quorum']));
      expect(answer.changes.every((change) => !('before' in change))).toBe(true);
      expect(answer.changes.find((change) => change.path === 'spec.headers.x-api-key')).toEqual({ path: 'spec.headers.x-api-key', after: '[redacted]', secret: true });

      expect(((await (await send('GET', `/v1/monitors?key=${wanted}`)).json()) as { items: unknown[] }).items).toEqual([]);
      expect(await redis.zscore(coordinatorKeys.monitorIndex(), answer.result.id)).toBeNull();
      expect(await rounds[shardOf(answer.result.id)]!.getJobScheduler(answer.result.id)).toBeUndefined();
      expect(await redis.sismember(coordinatorKeys.regions(), newRegion)).toBe(0);
    });

    it('POST ?dryRun=true with a taken key is the 409 the create would be', async () => {
      const taken = key('dry-taken');
      const owner = await create(valid({ key: taken }));
      const response = await send('POST', '/v1/monitors?dryRun=true', valid({ key: taken }));
      expect(response.status).toBe(409);
      expect(((await response.json()) as Problem).message).toBe(`monitor key ${taken} is taken by ${owner.id}`);
    });
  });
});
