import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

interface CreatedToken {
  id: string;
  name: string;
  scope: string;
  createdAt: string;
  lastUsedAt: string | null;
  token: string;
}

const MONITOR = { name: 'scoped', regions: ['t-tokens'], intervalSeconds: 3_600, url: 'https://example.test/' };

/**
 * Scoped API tokens on a redis-server of its own, so that every key in it can be read back:
 * `API_TOKEN` is the bootstrap admin, tokens made through the API carry `read`, `write` or `admin`.
 */
describe('scoped API tokens', () => {
  let redis: PrivateRedis;
  let raw: Redis;
  let coordinator: TestCoordinator;
  const monitors: string[] = [];

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    raw = new Redis(redis.url);
    // The last test stops this Redis under it.
    raw.on('error', () => undefined);
    coordinator = await startTestCoordinator({ redisUrl: redis.url });
  });

  afterAll(async () => {
    for (const id of monitors) await coordinator.request(`/v1/monitors/${id}`, { method: 'DELETE' });
    await coordinator.close();
    raw.disconnect();
    await redis.destroy();
  });

  async function createToken(scope: string, name = `${scope} token`, as = coordinator.token): Promise<CreatedToken> {
    const response = await coordinator.request('/v1/tokens', { method: 'POST', json: { name, scope }, headers: { authorization: `Bearer ${as}` } });
    expect(response.status).toBe(201);
    return (await response.json()) as CreatedToken;
  }

  function requestAs(token: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    return coordinator.request(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
  }

  async function createMonitorAs(token: string): Promise<Response> {
    const response = await requestAs(token, '/v1/monitors', { method: 'POST', json: MONITOR });
    if (response.status === 201) monitors.push(((await response.clone().json()) as { id: string }).id);
    return response;
  }

  it('creates a token: 201, Location, no-store, the token this once', async () => {
    const response = await coordinator.request('/v1/tokens', { method: 'POST', json: { name: ' ci deploy ', scope: 'write' } });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const created = (await response.json()) as CreatedToken;
    expect(created).toEqual({
      id: expect.stringMatching(/^tok_[a-z2-7]{20}$/),
      name: 'ci deploy',
      scope: 'write',
      createdAt: expect.any(String),
      lastUsedAt: null,
      token: expect.stringMatching(/^cct_[A-Za-z0-9_-]{43}$/),
    });
    expect(Buffer.from(created.token.slice(4), 'base64url')).toHaveLength(32);
    expect(response.headers.get('location')).toBe(`/v1/tokens/${created.id}`);
  });

  it('a read token reads, and may not write: 403 naming "write"', async () => {
    const { token } = await createToken('read');
    expect((await requestAs(token, '/v1/monitors')).status).toBe(200);
    expect((await requestAs(token, '/v1/agents', { method: 'HEAD' })).status).toBe(200);
    const refused = await createMonitorAs(token);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      statusCode: 403,
      error: 'Forbidden',
      message: 'this route needs the "write" scope; the token has "read"',
    });
    expect((await requestAs(token, '/v1/tokens')).status).toBe(403);
  });

  it('a write token writes monitors, and may not manage tokens: 403 naming "admin"', async () => {
    const { token } = await createToken('write');
    expect((await createMonitorAs(token)).status).toBe(201);
    expect((await requestAs(token, '/v1/monitors')).status).toBe(200);
    const refused = await requestAs(token, '/v1/tokens', { method: 'POST', json: { name: 'escalate', scope: 'admin' } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe('this route needs the "admin" scope; the token has "write"');
    // Reading the token list is admin too: it names every credential that exists.
    const list = await requestAs(token, '/v1/tokens');
    expect(list.status).toBe(403);
    expect(((await list.json()) as { message: string }).message).toContain('"admin"');
  });

  it('an admin token does everything, tokens included', async () => {
    const admin = await createToken('admin');
    expect((await createMonitorAs(admin.token)).status).toBe(201);
    const made = await createToken('read', 'made by an admin token', admin.token);
    expect(made.scope).toBe('read');
    expect((await requestAs(admin.token, `/v1/tokens/${made.id}`)).status).toBe(200);
    expect((await requestAs(admin.token, `/v1/tokens/${made.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('401 for a missing, malformed or unknown token', async () => {
    for (const authorization of [undefined, 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer not-a-token', `Bearer cct_${randomBytes(32).toString('base64url')}`]) {
      const response = await fetch(`${coordinator.baseUrl}/v1/monitors`, { headers: authorization === undefined ? {} : { authorization } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(await response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it('revoking a token: the next request with it is 401, and it is gone from the list', async () => {
    const created = await createToken('write');
    expect((await requestAs(created.token, '/v1/monitors')).status).toBe(200);
    const revoked = await coordinator.request(`/v1/tokens/${created.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    const after = await requestAs(created.token, '/v1/monitors');
    expect(after.status).toBe(401);
    expect(((await after.json()) as { message: string }).message).toBe('invalid bearer token');
    expect((await coordinator.request(`/v1/tokens/${created.id}`)).status).toBe(404);
    expect((await coordinator.request(`/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    const list = (await (await coordinator.request('/v1/tokens?limit=200')).json()) as { items: { id: string }[] };
    expect(list.items.map((item) => item.id)).not.toContain(created.id);
  });

  it('lists and reads tokens without the token or its hash; lastUsedAt follows use', async () => {
    const first = await createToken('read', 'list 1');
    const second = await createToken('admin', 'list 2');
    const response = await coordinator.request('/v1/tokens?limit=200');
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const created of [first, second]) {
      expect(text).not.toContain(created.token);
      expect(text).not.toContain(created.token.slice(4));
      expect(text).not.toContain(sha256(created.token));
    }
    const page = JSON.parse(text) as { items: Record<string, unknown>[]; nextCursor: string | null };
    expect(page.nextCursor).toBeNull();
    const { token: _token, ...shown } = first;
    expect(page.items).toContainEqual(shown);
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'scope']);
    const ids = page.items.map((item) => item['id']);
    expect(ids.indexOf(second.id)).toBeGreaterThan(ids.indexOf(first.id));

    const one = await coordinator.request(`/v1/tokens/${first.id}`);
    expect(await one.json()).toEqual(shown);

    const pages: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=1' : `?limit=1&cursor=${cursor}`;
      const next = (await (await coordinator.request(`/v1/tokens${query}`)).json()) as { items: { id: string }[]; nextCursor: string | null };
      pages.push(...next.items.map((item) => item.id));
      cursor = next.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual(ids);

    const before = Date.now();
    expect((await requestAs(first.token, '/v1/monitors')).status).toBe(200);
    const used = await eventually(async () => {
      const read = (await (await coordinator.request(`/v1/tokens/${first.id}`)).json()) as CreatedToken;
      return read.lastUsedAt === null ? undefined : read.lastUsedAt;
    }, 5_000, 'lastUsedAt to be recorded');
    expect(Date.parse(used)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('stores tokens hashed: no key or value in Redis holds the token', async () => {
    const created = await createToken('admin', 'hashed at rest');
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await raw.scan(cursor, 'COUNT', 1_000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    let dump = keys.join('\n');
    for (const key of keys) {
      const type = await raw.type(key);
      if (type === 'string') dump += `\n${(await raw.get(key)) ?? ''}`;
      else if (type === 'hash') dump += `\n${Object.entries(await raw.hgetall(key)).flat().join('\n')}`;
      else if (type === 'zset') dump += `\n${(await raw.zrange(key, 0, -1)).join('\n')}`;
      else if (type === 'list') dump += `\n${(await raw.lrange(key, 0, -1)).join('\n')}`;
      else if (type === 'set') dump += `\n${(await raw.smembers(key)).join('\n')}`;
    }
    expect(dump).not.toContain(created.token.slice(4));
    expect(dump).toContain(sha256(created.token));
    expect(keys).toContain(`cc:{c}:token:${created.id}`);
  });

  it('validation: a 400 naming each field at fault', async () => {
    const cases: { body: unknown; paths: string[] }[] = [
      { body: { name: 'x', scope: 'owner' }, paths: ['scope'] },
      { body: { name: 'x' }, paths: ['scope'] },
      { body: { scope: 'read' }, paths: ['name'] },
      { body: { name: '   ', scope: 'read' }, paths: ['name'] },
      { body: { name: 'x'.repeat(101), scope: 'read' }, paths: ['name'] },
      { body: { name: 7, scope: ['read'] }, paths: ['name', 'scope'] },
      { body: { name: 'x', scope: 'read', token: 'cct_mine' }, paths: ['token'] },
      { body: [], paths: [''] },
    ];
    for (const { body, paths } of cases) {
      const response = await coordinator.request('/v1/tokens', { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      const problem = (await response.json()) as { statusCode: number; issues: { path: string }[] };
      expect(problem.statusCode).toBe(400);
      expect(problem.issues.map((issue) => issue.path), JSON.stringify(body)).toEqual(paths);
    }
    expect((await coordinator.request('/v1/tokens?limit=0')).status).toBe(400);
    expect((await coordinator.request('/v1/tokens?cursor=x')).status).toBe(400);
    expect((await coordinator.request('/v1/tokens/tok_nope')).status).toBe(404);
  });

  it('is in the OpenAPI document, with the scopes in the bearer scheme', async () => {
    const document = (await (await fetch(`${coordinator.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { description?: string }> };
    };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/tokens', '/v1/tokens/{id}']));
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['TokenInput', 'Token', 'CreatedToken', 'TokenPage']));
    expect(document.components.securitySchemes['bearer']?.description).toContain('admin');
  });

  it('a revocation on one coordinator reaches another within its cache bound', async () => {
    const other = await startTestCoordinator({ redisUrl: redis.url, apiToken: coordinator.token });
    try {
      const created = await createToken('read');
      const on = (target: TestCoordinator) => target.request('/v1/monitors', { headers: { authorization: `Bearer ${created.token}` } });
      // Used on the other coordinator first, so that it holds the token in its cache.
      expect((await on(other)).status).toBe(200);
      expect((await coordinator.request(`/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await on(coordinator)).status).toBe(401);
      await eventually(async () => ((await on(other)).status === 401 ? true : undefined), 10_000, 'the other coordinator to refuse the revoked token');
    } finally {
      await other.close();
    }
  });

  // Last: it stops this suite's Redis.
  it('while Redis is away: 503 for a token that cannot be checked, and /health still answers its status', async () => {
    const { token } = await createToken('read', 'never used before the outage');
    await redis.stop();
    try {
      const refused = await requestAs(token, '/v1/monitors');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      const health = await fetch(`${coordinator.baseUrl}/health`, { headers: { authorization: `Bearer ${token}` } });
      expect(health.status).toBe(503);
      expect(await health.text()).toBe('{"status":"degraded"}');
    } finally {
      await redis.start();
    }
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
