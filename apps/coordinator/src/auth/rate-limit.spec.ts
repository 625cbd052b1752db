import { afterEach, describe, expect, it } from 'vitest';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/**
 * Rate limits per token and per client address, counted in Redis so that every coordinator on it
 * shares the count. Each test has a redis-server of its own: the counts it starts from are zero.
 */
describe('rate limits', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshRedis(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    cleanups.push(() => redis.destroy());
    return redis;
  }

  async function coordinatorOn(redis: PrivateRedis, limits: { rateLimitPerMinute: number; rateLimitPerMinutePerAddress: number }, apiToken?: string): Promise<TestCoordinator> {
    const coordinator = await startTestCoordinator({ redisUrl: redis.url, ...limits, ...(apiToken ? { apiToken } : {}) });
    cleanups.push(() => coordinator.close());
    return coordinator;
  }

  async function expectTooManyRequests(response: Response, limitText: string): Promise<number> {
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { statusCode: number; error: string; message: string };
    expect(body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(body.message).toContain(limitText);
    return retryAfter;
  }

  it('per token: 429 with Retry-After past the limit, other tokens unaffected, counted across coordinators', async () => {
    const redis = await freshRedis();
    const limits = { rateLimitPerMinute: 4, rateLimitPerMinutePerAddress: 1_000 };
    const first = await coordinatorOn(redis, limits);
    const second = await coordinatorOn(redis, limits, first.token);

    // The bootstrap token's budget: 4 a minute, shared by both coordinators.
    expect((await first.request('/v1/monitors')).status).toBe(200);
    expect((await second.request('/v1/monitors')).status).toBe(200);
    expect((await first.request('/v1/agents')).status).toBe(200);
    const created = await second.request('/v1/tokens', { method: 'POST', json: { name: 'other', scope: 'read' } });
    expect(created.status).toBe(201);
    const retryAfter = await expectTooManyRequests(await first.request('/v1/monitors'), '4 requests per minute');
    // One request every 15 s keeps up with 4 a minute: the next one is due within that.
    expect(retryAfter).toBeLessThanOrEqual(15);
    await expectTooManyRequests(await second.request('/v1/monitors'), 'token');

    const { token } = (await created.json()) as { token: string };
    expect((await first.request('/v1/monitors', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('per address: unauthenticated traffic and /health are limited too', async () => {
    const redis = await freshRedis();
    const coordinator = await coordinatorOn(redis, { rateLimitPerMinute: 1_000, rateLimitPerMinutePerAddress: 3 });
    expect((await fetch(`${coordinator.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${coordinator.baseUrl}/v1/monitors`, { headers: { authorization: 'Bearer guess-1' } })).status).toBe(401);
    expect((await fetch(`${coordinator.baseUrl}/v1/monitors`, { headers: { authorization: 'Bearer guess-2' } })).status).toBe(401);
    await expectTooManyRequests(await fetch(`${coordinator.baseUrl}/v1/monitors`, { headers: { authorization: 'Bearer guess-3' } }), 'address');
    await expectTooManyRequests(await fetch(`${coordinator.baseUrl}/health`), '3 requests per minute');
    // A valid token does not lift the limit of the address it comes from.
    await expectTooManyRequests(await coordinator.request('/v1/monitors'), 'address');
  });

  it('0 turns a limit off', async () => {
    const redis = await freshRedis();
    const coordinator = await coordinatorOn(redis, { rateLimitPerMinute: 0, rateLimitPerMinutePerAddress: 0 });
    const statuses = await Promise.all(Array.from({ length: 30 }, () => coordinator.request('/v1/monitors').then((response) => response.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
