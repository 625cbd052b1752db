import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

const ALL_TYPES = ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored'];

/** The webhook endpoints API, on a redis-server of its own (endpoints are global: no other suite sees these). */
describe('webhooks API', () => {
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

  async function create(body: unknown): Promise<Record<string, unknown>> {
    const response = await coordinator.request('/v1/webhooks', { method: 'POST', json: body });
    expect(response.status).toBe(201);
    return (await response.json()) as Record<string, unknown>;
  }

  it('creates an endpoint: 201, Location, every event type by default, and the secret this once', async () => {
    const response = await coordinator.request('/v1/webhooks', { method: 'POST', json: { url: 'https://hooks.example/a', description: 'pager' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const created = (await response.json()) as Record<string, unknown>;
    expect(created).toEqual({
      id: expect.stringMatching(/^wh_[a-z2-7]{20}$/),
      key: created['id'],
      url: 'https://hooks.example/a',
      events: ALL_TYPES,
      description: 'pager',
      enabled: true,
      state: 'enabled',
      disabledReason: null,
      disabledAt: null,
      circuit: 'closed',
      consecutiveFailures: 0,
      failingSince: null,
      previousSecretExpiresAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      revision: 1,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
    });
    expect(response.headers.get('etag')).toBe('"1"');
    expect(Buffer.from((created['secret'] as string).slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(response.headers.get('location')).toBe(`/v1/webhooks/${created['id'] as string}`);

    const read = await coordinator.request(`/v1/webhooks/${created['id'] as string}`);
    expect(read.status).toBe(200);
    const { secret: _secret, ...withoutSecret } = created;
    expect(await read.json()).toEqual(withoutSecret);
  });

  it('keeps the events asked for, in the order given', async () => {
    const created = await create({ url: 'http://10.0.0.5:8080/hook', events: ['region.blind', 'incident.opened'] });
    expect(created['events']).toEqual(['region.blind', 'incident.opened']);
    expect(created['description']).toBeNull();
  });

  it('lists endpoints in creation order, a page at a time, never with a secret', async () => {
    const first = await create({ url: 'https://hooks.example/list-1' });
    const second = await create({ url: 'https://hooks.example/list-2' });
    const all = (await (await coordinator.request('/v1/webhooks?limit=200')).json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
    expect(all.nextCursor).toBeNull();
    const ids = all.items.map((item) => item['id']);
    expect(ids.indexOf(first['id'])).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(second['id'])).toBeGreaterThan(ids.indexOf(first['id']));
    for (const item of all.items) expect(item).not.toHaveProperty('secret');

    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=1' : `?limit=1&cursor=${cursor}`;
      const page = (await (await coordinator.request(`/v1/webhooks${query}`)).json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(1);
      pages.push(...page.items.map((item) => item['id']));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual(ids);
  });

  describe('validation: each bad field is a 400 naming its path', () => {
    const cases: { name: string; body: unknown; paths: string[] }[] = [
      { name: 'missing url', body: {}, paths: ['url'] },
      { name: 'url not a string', body: { url: 42 }, paths: ['url'] },
      { name: 'relative url', body: { url: '/hook' }, paths: ['url'] },
      { name: 'ftp url', body: { url: 'ftp://hooks.example/' }, paths: ['url'] },
      { name: 'url too long', body: { url: `https://hooks.example/${'a'.repeat(2_048)}` }, paths: ['url'] },
      { name: 'credentials in the url', body: { url: 'https://user:pass@hooks.example/' }, paths: ['url'] },
      { name: 'cloud metadata address', body: { url: 'http://169.254.169.254/latest/meta-data/' }, paths: ['url'] },
      { name: 'Alibaba metadata address', body: { url: 'http://100.100.100.200/' }, paths: ['url'] },
      { name: 'IPv6 link-local', body: { url: 'http://[fe80::1]:8080/' }, paths: ['url'] },
      { name: 'AWS IPv6 metadata', body: { url: 'http://[fd00:ec2::254]/' }, paths: ['url'] },
      { name: 'unknown event type', body: { url: 'https://hooks.example/', events: ['incident.opened', 'incident.exploded'] }, paths: ['events.1'] },
      { name: 'test type is not subscribable', body: { url: 'https://hooks.example/', events: ['webhook.test'] }, paths: ['events.0'] },
      { name: 'duplicate event type', body: { url: 'https://hooks.example/', events: ['region.blind', 'region.blind'] }, paths: ['events.1'] },
      { name: 'no event type', body: { url: 'https://hooks.example/', events: [] }, paths: ['events'] },
      { name: 'events not an array', body: { url: 'https://hooks.example/', events: 'incident.opened' }, paths: ['events'] },
      { name: 'description too long', body: { url: 'https://hooks.example/', description: 'x'.repeat(501) }, paths: ['description'] },
      { name: 'unknown field', body: { url: 'https://hooks.example/', secret: 'whsec_mine' }, paths: ['secret'] },
      { name: 'several fields at once', body: { url: 'nope', events: [3], bogus: true }, paths: ['url', 'events.0', 'bogus'] },
      { name: 'body not an object', body: ['https://hooks.example/'], paths: [''] },
    ];

    it.each(cases)('$name', async ({ body, paths }) => {
      const response = await coordinator.request('/v1/webhooks', { method: 'POST', json: body });
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { statusCode: number; error: string; message: string; issues: { path: string; message: string }[] };
      expect(problem).toMatchObject({ statusCode: 400, error: 'Bad Request', message: 'invalid webhook' });
      expect(problem.issues.map((issue) => issue.path).sort()).toEqual([...paths].sort());
      for (const issue of problem.issues) expect(issue.message.length).toBeGreaterThan(0);
    });

    it('answers malformed JSON with a 400 problem', async () => {
      const response = await coordinator.request('/v1/webhooks', { method: 'POST', body: '{"url":', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/malformed JSON/);
    });

    it('names the query parameter at fault', async () => {
      const { id } = (await create({ url: 'https://hooks.example/q' })) as { id: string };
      for (const query of ['limit=0', 'limit=501', 'limit=x']) {
        const response = await coordinator.request(`/v1/webhooks/${id}/deliveries?${query}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(['limit']);
      }
      const list = await coordinator.request('/v1/webhooks?cursor=mon_x');
      expect(list.status).toBe(400);
    });
  });

  it('needs the bearer token on every route', async () => {
    const { id } = (await create({ url: 'https://hooks.example/auth' })) as { id: string };
    const routes: [string, string][] = [
      ['GET', '/v1/webhooks'],
      ['POST', '/v1/webhooks'],
      ['GET', `/v1/webhooks/${id}`],
      ['PATCH', `/v1/webhooks/${id}`],
      ['DELETE', `/v1/webhooks/${id}`],
      ['POST', `/v1/webhooks/${id}/test`],
      ['GET', `/v1/webhooks/${id}/deliveries`],
      ['GET', `/v1/webhooks/${id}/deliveries/evt_x-${id}`],
      ['POST', `/v1/webhooks/${id}/deliveries/evt_x-${id}/retry`],
      ['POST', `/v1/webhooks/${id}/replay`],
      ['POST', `/v1/webhooks/${id}/rotate-secret`],
    ];
    for (const [method, path] of routes) {
      const missing = await fetch(`${coordinator.baseUrl}${path}`, { method });
      expect(missing.status, `${method} ${path}`).toBe(401);
      expect(await missing.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: 'missing bearer token' });
      const wrong = await coordinator.request(path, { method, headers: { authorization: 'Bearer not-the-token-at-all' } });
      expect(wrong.status, `${method} ${path}`).toBe(401);
    }
    // Nothing was deleted by the refused DELETE.
    expect((await coordinator.request(`/v1/webhooks/${id}`)).status).toBe(200);
  });

  it('answers 404 for an unknown endpoint, and for an id that cannot be one', async () => {
    for (const id of ['wh_aaaaaaaaaaaaaaaaaaaa', 'nope', 'mon_aaaaaaaaaaaaaaaaaaaa']) {
      for (const [method, path, json] of [
        ['GET', `/v1/webhooks/${id}`, undefined],
        ['PATCH', `/v1/webhooks/${id}`, { description: 'x' }],
        ['DELETE', `/v1/webhooks/${id}`, undefined],
        ['POST', `/v1/webhooks/${id}/test`, undefined],
        ['GET', `/v1/webhooks/${id}/deliveries`, undefined],
        ['GET', `/v1/webhooks/${id}/deliveries/evt_x-${id}`, undefined],
        ['POST', `/v1/webhooks/${id}/deliveries/evt_x-${id}/retry`, undefined],
        ['POST', `/v1/webhooks/${id}/replay`, { since: '2026-01-01T00:00:00Z' }],
        ['POST', `/v1/webhooks/${id}/rotate-secret`, undefined],
      ] as const) {
        const response = await coordinator.request(path, { method, ...(json ? { json } : {}) });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(await response.json()).toMatchObject({ statusCode: 404, error: 'Not Found', message: `webhook ${id} not found` });
      }
    }
  });

  it('deletes an endpoint: 204, then 404 everywhere', async () => {
    const { id } = (await create({ url: 'https://hooks.example/delete' })) as { id: string };
    const deleted = await coordinator.request(`/v1/webhooks/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await coordinator.request(`/v1/webhooks/${id}`)).status).toBe(404);
    expect((await coordinator.request(`/v1/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await coordinator.request(`/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(404);
    const list = (await (await coordinator.request('/v1/webhooks?limit=200')).json()) as { items: { id: string }[] };
    expect(list.items.map((item) => item.id)).not.toContain(id);
  });

  it('changes an endpoint with PATCH, disables and enables it again', async () => {
    const created = await create({ url: 'https://hooks.example/patch', description: 'first' });
    const id = created['id'] as string;
    const patched = await coordinator.request(`/v1/webhooks/${id}`, {
      method: 'PATCH',
      json: { url: 'https://hooks.example/patched', events: ['incident.resolved'], description: null },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id, url: 'https://hooks.example/patched', events: ['incident.resolved'], description: null, enabled: true, createdAt: created['createdAt'] });

    const disabled = (await (await coordinator.request(`/v1/webhooks/${id}`, { method: 'PATCH', json: { enabled: false } })).json()) as Record<string, unknown>;
    expect(disabled).toMatchObject({ enabled: false, state: 'disabled', disabledReason: 'disabled through the API', disabledAt: expect.any(String) });
    const records = (await (await coordinator.request(`/v1/webhooks/${id}/deliveries`)).json()) as { items: unknown[] };
    expect(records.items).toEqual([{ type: 'webhook.disabled', at: disabled['disabledAt'], reason: 'disabled through the API' }]);
    const testWhileDisabled = await coordinator.request(`/v1/webhooks/${id}/test`, { method: 'POST' });
    expect(testWhileDisabled.status).toBe(409);

    const enabled = (await (await coordinator.request(`/v1/webhooks/${id}`, { method: 'PATCH', json: { enabled: true } })).json()) as Record<string, unknown>;
    expect(enabled).toMatchObject({ enabled: true, state: 'enabled', disabledReason: null, disabledAt: null, url: 'https://hooks.example/patched' });

    const invalid = await coordinator.request(`/v1/webhooks/${id}`, { method: 'PATCH', json: { events: ['nope'], enabled: 'yes', secret: 'x' } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort()).toEqual(['enabled', 'events.0', 'secret']);
  });

  it('documents the routes and schemas in the OpenAPI document', async () => {
    const document = (await (await fetch(`${coordinator.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(document.paths['/v1/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/v1/webhooks/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(document.paths['/v1/webhooks/{id}/test']).toHaveProperty('post');
    expect(document.paths['/v1/webhooks/{id}/deliveries']).toHaveProperty('get');
    expect(document.paths['/v1/webhooks/{id}/deliveries/{deliveryId}']).toHaveProperty('get');
    expect(document.paths['/v1/webhooks/{id}/deliveries/{deliveryId}/retry']).toHaveProperty('post');
    expect(document.paths['/v1/webhooks/{id}/replay']).toHaveProperty('post');
    expect(document.paths['/v1/webhooks/{id}/rotate-secret']).toHaveProperty('post');
    for (const name of [
      'Webhook',
      'CreatedWebhook',
      'WebhookInput',
      'WebhookPatch',
      'WebhookPage',
      'WebhookDeliveryAttempt',
      'WebhookEndpointRecord',
      'WebhookDeliveryPage',
      'WebhookDelivery',
      'WebhookReplayInput',
      'WebhookReplay',
      'WebhookSecretRotationInput',
      'WebhookSecretRotation',
      'WebhookTestDelivery',
      'Problem',
    ]) {
      expect(document.components.schemas, name).toHaveProperty(name);
    }
  });
});

/** Where webhooks may go when WEBHOOK_ALLOW_PRIVATE_TARGETS is left at its default (`false`). */
describe('webhook targets by default', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url, webhookAllowPrivateTargets: false });
  });

  afterAll(async () => {
    await coordinator.close();
    await redis.destroy();
  });

  it.each([
    'http://127.0.0.1:6379/',
    'http://localhost:6379/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]:6379/',
    'http://0.0.0.0:6379/',
    'http://10.0.0.5:8080/hook',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
  ])('refuses %s with a 400 naming url, at create and at update', async (url) => {
    const created = await coordinator.request('/v1/webhooks', { method: 'POST', json: { url } });
    expect(created.status).toBe(400);
    const problem = (await created.json()) as { issues: { path: string; message: string }[] };
    expect(problem.issues.map((issue) => issue.path)).toEqual(['url']);
    expect(problem.issues[0]!.message).toMatch(/^refused target: /);

    const { id } = (await (await coordinator.request('/v1/webhooks', { method: 'POST', json: { url: 'https://hooks.example/ok' } })).json()) as { id: string };
    const patched = await coordinator.request(`/v1/webhooks/${id}`, { method: 'PATCH', json: { url } });
    expect(patched.status).toBe(400);
    expect(((await patched.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(['url']);
  });

  it('accepts public targets', async () => {
    const created = await coordinator.request('/v1/webhooks', { method: 'POST', json: { url: 'https://93.184.216.34/hook' } });
    expect(created.status).toBe(201);
  });
});
