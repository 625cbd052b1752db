import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyLockGrant, ApplyLockStatus } from '@crosscheck/contract';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

/** `/v1/apply-lock`, on a Redis of its own (the lock is one per deployment), behind two coordinators. */
describe('the configuration apply lock', () => {
  let redis: PrivateRedis;
  let first: TestCoordinator;
  let second: TestCoordinator;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    first = await startTestCoordinator({ redisUrl: redis.url });
    second = await startTestCoordinator({ redisUrl: redis.url, apiToken: first.token });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await redis?.destroy();
  });

  const take = (coordinator: TestCoordinator, json: unknown) => coordinator.request('/v1/apply-lock', { method: 'POST', json });
  const status = async (coordinator: TestCoordinator) => (await (await coordinator.request('/v1/apply-lock')).json()) as ApplyLockStatus;

  it('is held by one taker at a time, across coordinators; the others are told who holds it', async () => {
    const answers = await Promise.all([take(first, { holder: 'ci-a' }), take(second, { holder: 'ci-b' }), take(first, { holder: 'ci-c' })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    const winner = answers.find((answer) => answer.status === 201)!;
    const grant = (await winner.json()) as ApplyLockGrant;
    expect(grant.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.acquiredAt)).toBeGreaterThanOrEqual(119_000);

    const refused = (await answers.find((answer) => answer.status === 409)!.json()) as { detail: string; message: string; lock: unknown };
    expect(refused.message).toContain(`locked by ${grant.holder}`);
    expect(refused.lock).toEqual({ holder: grant.holder, acquiredAt: grant.acquiredAt, expiresAt: grant.expiresAt });

    // Anyone with a read token sees who holds it, never the token.
    const seen = await status(second);
    expect(seen).toEqual({ held: true, holder: grant.holder, acquiredAt: grant.acquiredAt, expiresAt: grant.expiresAt });
    expect(JSON.stringify(seen)).not.toContain(grant.token);

    // Only the token renews and releases it.
    expect((await first.request('/v1/apply-lock/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { method: 'PUT', json: {} })).status).toBe(409);
    expect((await first.request('/v1/apply-lock/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { method: 'DELETE' })).status).toBe(404);
    const renewed = await second.request(`/v1/apply-lock/${grant.token}`, { method: 'PUT', json: { ttlSeconds: 600 } });
    expect(renewed.status).toBe(200);
    const renewal = (await renewed.json()) as ApplyLockGrant;
    expect(renewal.acquiredAt).toBe(grant.acquiredAt);
    expect(Date.parse(renewal.expiresAt)).toBeGreaterThan(Date.parse(grant.expiresAt));

    expect((await second.request(`/v1/apply-lock/${grant.token}`, { method: 'DELETE' })).status).toBe(204);
    expect(await status(first)).toEqual({ held: false });
    expect((await first.request(`/v1/apply-lock/${grant.token}`, { method: 'DELETE' })).status).toBe(404);
    expect((await first.request(`/v1/apply-lock/${grant.token}`, { method: 'PUT', json: {} })).status).toBe(409);

    const next = await take(first, { holder: 'ci-d' });
    expect(next.status).toBe(201);
    await first.request(`/v1/apply-lock/${((await next.json()) as ApplyLockGrant).token}`, { method: 'DELETE' });
  });

  it('frees itself when its holder dies and its lease runs out', async () => {
    const taken = await take(first, { holder: 'dies', ttlSeconds: 5 });
    expect(taken.status).toBe(201);
    expect((await take(second, { holder: 'waits' })).status).toBe(409);
    await expect.poll(async () => (await status(second)).held, { timeout: 8_000, interval: 250 }).toBe(false);
    const after = await take(second, { holder: 'waits' });
    expect(after.status).toBe(201);
    await second.request(`/v1/apply-lock/${((await after.json()) as ApplyLockGrant).token}`, { method: 'DELETE' });
  });

  it('names each field at fault in a bad request', async () => {
    const bad = await take(first, { holder: '', ttlSeconds: 2, extra: true });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues.map((issue) => issue.path).sort()).toEqual(['extra', 'holder', 'ttlSeconds']);
    expect((await take(first, { ttlSeconds: 60 })).status).toBe(400);
    expect(await status(first)).toEqual({ held: false });
  });
});
