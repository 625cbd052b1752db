import { shardOf, shardPrefix, STATE_SHARDS } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUNDS_QUEUE } from '../queues/coordinator-queues';
import { purgeRegions } from '../testing/fake-region-agent';
import { randomRegion, startTestCoordinator, TEST_REDIS_URL, type TestCoordinator } from '../testing/test-coordinator';

describe('monitors API', () => {
  let coordinator: TestCoordinator;
  let redis: Redis;
  /** Every state shard's rounds queue: a monitor's scheduler is on its shard's. */
  let rounds: Queue[];
  const schedulerOf = (monitorId: string) => rounds[shardOf(monitorId)]!.getJobScheduler(monitorId);
  const region = randomRegion('api');
  const otherRegion = randomRegion('api2');
  const created: string[] = [];

  const valid = (overrides: Record<string, unknown> = {}) => ({
    name: 'Checkout API',
    regions: [region],
    // Long enough that only the immediate first round happens during the test.
    intervalSeconds: 3_600,
    url: 'https://example.test/health',
    ...overrides,
  });

  async function create(body: unknown = valid()): Promise<Record<string, unknown>> {
    const response = await coordinator.request('/v1/monitors', { method: 'POST', json: body });
    expect(response.status).toBe(201);
    const monitor = (await response.json()) as Record<string, unknown>;
    created.push(monitor['id'] as string);
    return monitor;
  }

  beforeAll(async () => {
    coordinator = await startTestCoordinator();
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    rounds = Array.from({ length: STATE_SHARDS }, (_, shard) => new Queue(ROUNDS_QUEUE, { connection: redis, prefix: shardPrefix(shard) }));
  });

  afterAll(async () => {
    for (const id of created) await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    await coordinator.close();
    await purgeRegions([region, otherRegion]);
    await Promise.all(rounds.map((queue) => queue.close()));
    await redis.quit();
  });

  describe('validation: each bad field is a 400 naming its path', () => {
    const cases: { name: string; body: Record<string, unknown>; paths: string[] }[] = [
      { name: 'empty name', body: valid({ name: '' }), paths: ['name'] },
      { name: 'missing name', body: (({ name: _n, ...rest }) => rest)(valid()), paths: ['name'] },
      { name: 'name too long', body: valid({ name: 'x'.repeat(201) }), paths: ['name'] },
      { name: 'no regions', body: valid({ regions: [] }), paths: ['regions'] },
      { name: 'bad region name', body: valid({ regions: ['Bad_Region'] }), paths: ['regions.0'] },
      { name: 'duplicate region', body: valid({ regions: [region, region] }), paths: ['regions.1'] },
      { name: 'too many regions', body: valid({ regions: Array.from({ length: 33 }, (_, i) => `r${i}`) }), paths: ['regions'] },
      { name: 'interval below the minimum', body: valid({ intervalSeconds: 0 }), paths: ['intervalSeconds'] },
      { name: 'fractional interval', body: valid({ intervalSeconds: 1.5 }), paths: ['intervalSeconds'] },
      { name: 'interval above a day', body: valid({ intervalSeconds: 86_401 }), paths: ['intervalSeconds'] },
      { name: 'interval as a string', body: valid({ intervalSeconds: '60' }), paths: ['intervalSeconds'] },
      { name: 'non-http url', body: valid({ url: 'ftp://example.test/' }), paths: ['url'] },
      { name: 'missing url', body: (({ url: _u, ...rest }) => rest)(valid()), paths: ['url'] },
      { name: 'unknown method', body: valid({ method: 'BREW' }), paths: ['method'] },
      { name: 'timeout too short', body: valid({ timeoutMs: 5 }), paths: ['timeoutMs'] },
      { name: 'bad expected status', body: valid({ expect: { status: ['abc'] } }), paths: ['expect.status.0'] },
      { name: 'JSONPath without $', body: valid({ expect: { json: [{ path: 'status', op: 'exists' }] } }), paths: ['expect.json.0.path'] },
      { name: 'JSONPath that does not compile', body: valid({ expect: { json: [{ path: '$..[', op: 'exists' }] } }), paths: ['expect.json.0.path'] },
      { name: 'comparison with a string', body: valid({ expect: { json: [{ path: '$.n', op: 'gt', value: 'x' }] } }), paths: ['expect.json.0.value'] },
      { name: 'regex that does not compile', body: valid({ expect: { body: { matches: ['(('] } } }), paths: ['expect.body.matches.0'] },
      { name: 'detector flag not boolean', body: valid({ detectors: { cache: 'yes' } }), paths: ['detectors.cache'] },
      { name: 'unknown top-level field', body: valid({ bogus: 1 }), paths: ['bogus'] },
      { name: 'unknown nested field', body: valid({ expect: { bogus: 1 } }), paths: ['expect.bogus'] },
      { name: 'GET with a body', body: valid({ body: 'x' }), paths: ['body'] },
      { name: 'down latency below degraded', body: valid({ expect: { latency: { degradedMs: 500, downMs: 100 } } }), paths: ['expect.latency.downMs'] },
      { name: 'several fields at once', body: valid({ name: '', url: 'nope', intervalSeconds: -1 }), paths: ['name', 'intervalSeconds', 'url'] },
    ];

    it.each(cases)('$name', async ({ body, paths }) => {
      const response = await coordinator.request('/v1/monitors', { method: 'POST', json: body });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { statusCode: number; error: string; message: string; issues: { path: string }[] };
      expect(problem).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'invalid monitor' });
      expect(problem.issues.map((issue) => issue.path).sort()).toEqual([...paths].sort());
    });

    it.each([
      { name: 'malformed JSON', body: '{"name": ', message: /^malformed JSON body/ },
      { name: 'a JSON array', body: '[1, 2]', message: /^invalid monitor$/ },
      // The parser is strict: only objects and arrays are JSON bodies.
      { name: 'a JSON string', body: '"monitor"', message: /^malformed JSON body/ },
    ])('$name is a 400, not a 500', async ({ body, message }) => {
      const response = await coordinator.request('/v1/monitors', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(message);
    });

    it('a body that is not JSON is a 400', async () => {
      const response = await coordinator.request('/v1/monitors', { method: 'POST', body: 'name=x', headers: { 'content-type': 'text/plain' } });
      expect(response.status).toBe(400);
    });

    it('a body over the size limit is a 413', async () => {
      const response = await coordinator.request('/v1/monitors', { method: 'POST', json: valid({ name: 'x'.repeat(3 * 1024 * 1024) }) });
      expect(response.status).toBe(413);
    });

    it.each(['limit=0', 'limit=201', 'limit=abc', 'cursor=not-an-id'])('list with %s is a 400', async (query) => {
      const response = await coordinator.request(`/v1/monitors?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBe('invalid query');
    });
  });

  describe('authentication', () => {
    it.each([
      { name: 'no Authorization header', headers: { authorization: '' } },
      { name: 'a wrong token', headers: { authorization: 'Bearer wrong-token-wrong-token' } },
      { name: 'another scheme', headers: { authorization: 'Basic dXNlcjpwYXNz' } },
    ])('$name is a 401 problem on every /v1 route', async ({ headers }) => {
      for (const path of ['/v1/monitors', '/v1/agents', '/v1/stats', '/v1/monitors/mon_aaaaaaaaaaaaaaaaaaaa/status']) {
        const response = await fetch(`${coordinator.baseUrl}${path}`, { headers: headers.authorization ? headers : {} });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toContain('Bearer');
        expect(await response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    });

    it('/health and /docs-json are public', async () => {
      const health = await fetch(`${coordinator.baseUrl}/health`);
      expect([200, 503]).toContain(health.status);
      expect(health.headers.get('cache-control')).toBe('no-store');
      const docs = await fetch(`${coordinator.baseUrl}/docs-json`);
      expect(docs.status).toBe(200);
      const document = (await docs.json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/v1/monitors', '/v1/monitors/{id}', '/v1/monitors/{id}/status', '/v1/monitors/{id}/results', '/v1/agents', '/health']),
      );
      expect(document.components.schemas).toHaveProperty('MonitorSpec');
    });
  });

  describe('unknown ids are 404', () => {
    it.each(['mon_aaaaaaaaaaaaaaaaaaaa', 'not-a-monitor-id', 'mon_AAAAAAAAAAAAAAAAAAAA'])('%s', async (id) => {
      const attempts = [
        coordinator.request(`/v1/monitors/${id}`),
        coordinator.request(`/v1/monitors/${id}`, { method: 'PUT', json: valid() }),
        coordinator.request(`/v1/monitors/${id}`, { method: 'PATCH', json: { name: 'x' } }),
        coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' }),
        coordinator.request(`/v1/monitors/${id}/status`),
        coordinator.request(`/v1/monitors/${id}/results`),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
      }
    });
  });

  describe('CRUD', () => {
    it('creates a monitor: 201, Location, defaults applied, scheduler upserted', async () => {
      const response = await coordinator.request('/v1/monitors', { method: 'POST', json: valid({ method: 'get' }) });
      expect(response.status).toBe(201);
      const monitor = (await response.json()) as { id: string; spec: Record<string, unknown>; createdAt: string; updatedAt: string };
      created.push(monitor.id);
      expect(monitor.id).toMatch(/^mon_[a-z2-7]{20}$/);
      expect(response.headers.get('location')).toBe(`/v1/monitors/${monitor.id}`);
      expect(monitor).toMatchObject({ name: 'Checkout API', regions: [region], intervalSeconds: 3_600 });
      expect(monitor.spec).toMatchObject({ url: 'https://example.test/health', method: 'GET', timeoutMs: 10_000, followRedirects: true });
      expect(monitor.createdAt).toBe(monitor.updatedAt);

      const read = await coordinator.request(`/v1/monitors/${monitor.id}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(monitor);

      const scheduler = await schedulerOf(monitor.id);
      expect(scheduler?.every).toBe(3_600_000);
    });

    it('lists monitors in creation order, page by page', async () => {
      const mine = [(await create()).id, (await create()).id, (await create()).id] as string[];
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await coordinator.request(`/v1/monitors?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      const positions = mine.map((id) => seen.indexOf(id));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('replaces a monitor with PUT (validated the same way; scheduler follows the new interval)', async () => {
      const monitor = await create(valid({ expect: { status: [200] } }));
      const response = await coordinator.request(`/v1/monitors/${monitor['id'] as string}`, {
        method: 'PUT',
        json: valid({ name: 'Renamed', regions: [region, otherRegion], intervalSeconds: 120 }),
      });
      expect(response.status).toBe(200);
      const replaced = (await response.json()) as { name: string; regions: string[]; spec: { expect: { status?: unknown } }; createdAt: string; updatedAt: string };
      expect(replaced).toMatchObject({ name: 'Renamed', regions: [region, otherRegion], intervalSeconds: 120, createdAt: monitor['createdAt'] });
      expect(replaced.spec.expect.status).toBeUndefined();
      expect((await schedulerOf(monitor['id'] as string))?.every).toBe(120_000);

      const invalid = await coordinator.request(`/v1/monitors/${monitor['id'] as string}`, { method: 'PUT', json: { name: 'x' } });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['intervalSeconds', 'regions', 'url']);
    });

    it('patches a monitor with JSON Merge Patch and validates the result whole', async () => {
      const monitor = await create(valid({ expect: { status: [200], json: [{ path: '$.status', value: 'ok' }] } }));
      const path = `/v1/monitors/${monitor['id'] as string}`;

      const patched = await coordinator.request(path, {
        method: 'PATCH',
        body: JSON.stringify({ intervalSeconds: 30, expect: { status: null, body: { contains: ['ok'] } } }),
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(patched.status).toBe(200);
      const after = (await patched.json()) as { intervalSeconds: number; spec: { expect: { status?: unknown; json: unknown[]; body: { contains: string[] } } } };
      expect(after.intervalSeconds).toBe(30);
      expect(after.spec.expect.status).toBeUndefined();
      expect(after.spec.expect.json).toHaveLength(1);
      expect(after.spec.expect.body.contains).toEqual(['ok']);

      const invalid = await coordinator.request(path, { method: 'PATCH', json: { url: 'nope', expect: { json: [{ path: '$..[', op: 'exists' }] } } });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as { issues: { path: string }[] }).issues.map((i) => i.path).sort()).toEqual(['expect.json.0.path', 'url']);
      const unchanged = (await (await coordinator.request(path)).json()) as { spec: { url: string } };
      expect(unchanged.spec.url).toBe('https://example.test/health');
    });

    it('deletes a monitor: 204, then 404, and its scheduler is gone', async () => {
      const monitor = await create();
      const id = monitor['id'] as string;
      expect(await schedulerOf(id)).toBeDefined();
      const deleted = await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect(await deleted.text()).toBe('');
      expect((await coordinator.request(`/v1/monitors/${id}`)).status).toBe(404);
      expect((await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' })).status).toBe(404);
      expect(await schedulerOf(id)).toBeUndefined();
    });
  });
});
