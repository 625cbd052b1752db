import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/fake-region-agent';
import { generateSecretsKey } from '../secrets/secret-box';
import { startTestCoordinator } from '../testing/test-coordinator';
import { useWebhookHarness } from '../testing/webhook-harness';
import type { ReceivedRequest } from '../testing/webhook-receiver';
import { newWebhookId } from './webhook-id';
import { coordinatorKeys } from '../redis/coordinator-keys';

/** Signing secrets: encrypted at rest, shown once, rotated with an overlap in which both sign. */
describe('webhook signing secrets', () => {
  const harness = useWebhookHarness({ webhookTimeoutMs: 1_000 });
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(harness.redis.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await redis.quit();
  });

  /** Every value stored under the endpoint's keys, as Redis holds them. */
  async function rawValues(webhookId: string): Promise<string> {
    const keys = await redis.keys(`${coordinatorKeys.webhook(webhookId)}*`);
    const values: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === 'hash') values.push(...Object.values(await redis.hgetall(key)));
      else if (type === 'list') values.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'zset') values.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'string') values.push((await redis.get(key)) ?? '');
    }
    return values.join('\n');
  }

  /** Sends a `webhook.test` delivery to the endpoint and returns the request the receiver got. */
  async function testDelivery(webhookId: string): Promise<ReceivedRequest> {
    const response = await harness.coordinator.request(`/v1/webhooks/${webhookId}/test`, { method: 'POST' });
    expect(response.status).toBe(202);
    const { eventId } = (await response.json()) as { eventId: string };
    return eventually(async () => harness.receiver.requestsOf(eventId)[0], 8_000, `the test delivery ${eventId}`);
  }

  const verifies = (secret: string, request: ReceivedRequest): boolean => {
    try {
      new Webhook(secret).verify(request.body, request.headers);
      return true;
    } catch {
      return false;
    }
  };

  it('never stores a secret in plaintext', async () => {
    const { id, secret } = await harness.endpoint('/ok');
    await testDelivery(id);
    const stored = await rawValues(id);
    expect(stored).not.toContain('whsec_');
    expect(stored).not.toContain(secret.slice('whsec_'.length));
    const rotated = (await (await harness.coordinator.request(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST' })).json()) as { secret: string };
    const afterRotation = await rawValues(id);
    expect(afterRotation).not.toContain('whsec_');
    expect(afterRotation).not.toContain(rotated.secret.slice('whsec_'.length));
  });

  it('rotates a secret: the new one is shown once, and both sign during the overlap', async () => {
    const { id, secret: old, path } = await harness.endpoint('/ok');
    const response = await harness.coordinator.request(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const rotated = (await response.json()) as { secret: string; previousSecretExpiresAt: string };
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(rotated.secret).not.toBe(old);
    // The default overlap: 24 hours.
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(await harness.webhook(id)).toMatchObject({ previousSecretExpiresAt: rotated.previousSecretExpiresAt });
    expect(await harness.webhook(id)).not.toHaveProperty('secret');

    // The receiver still knows only the old secret: it keeps verifying.
    const during = await testDelivery(id);
    const signatures = during.headers['webhook-signature']!.split(' ');
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifies(old, during)).toBe(true);
    expect(verifies(rotated.secret, during)).toBe(true);
    expect(harness.receiver.processed.has(during.headers['webhook-id']!)).toBe(true);

    // Rotating again with no overlap: only the newest signs from now on.
    const again = (await (await harness.coordinator.request(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST', json: { overlapSeconds: 0 } })).json()) as {
      secret: string;
      previousSecretExpiresAt: string | null;
    };
    expect(again.previousSecretExpiresAt).toBeNull();
    harness.receiver.secrets.set(path, again.secret);
    const after = await testDelivery(id);
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verifies(again.secret, after)).toBe(true);
    expect(verifies(rotated.secret, after)).toBe(false);
    expect(verifies(old, after)).toBe(false);
  });

  it('stops signing with the previous secret once the overlap ends', async () => {
    const { id, path } = await harness.endpoint('/ok');
    const rotated = (await (await harness.coordinator.request(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST', json: { overlapSeconds: 1 } })).json()) as {
      secret: string;
      previousSecretExpiresAt: string;
    };
    harness.receiver.secrets.set(path, rotated.secret);
    await eventually(() => Promise.resolve(Date.now() > Date.parse(rotated.previousSecretExpiresAt) ? true : undefined), 3_000, 'the overlap to end');
    const after = await testDelivery(id);
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(verifies(rotated.secret, after)).toBe(true);
    expect((await harness.webhook(id))['previousSecretExpiresAt']).toBeNull();
  });

  it('refuses a bad rotation body with a 400 naming the field', async () => {
    const { id } = await harness.endpoint('/ok');
    for (const [body, path] of [
      [{ overlapSeconds: -1 }, 'overlapSeconds'],
      [{ overlapSeconds: 1.5 }, 'overlapSeconds'],
      [{ overlapSeconds: '60' }, 'overlapSeconds'],
      [{ overlapSeconds: 8 * 86_400 }, 'overlapSeconds'],
      [{ secret: 'whsec_mine' }, 'secret'],
      [[], ''],
    ] as const) {
      const response = await harness.coordinator.request(`/v1/webhooks/${id}/rotate-secret`, { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([path]);
    }
    expect((await harness.coordinator.request('/v1/webhooks/wh_aaaaaaaaaaaaaaaaaaaa/rotate-secret', { method: 'POST' })).status).toBe(404);
  });

  it('reads a secret stored in plaintext by an earlier version, signs with it, and seals it', async () => {
    // An endpoint as the previous version stored it: the secret in the clear.
    const id = newWebhookId(Date.now());
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const path = '/ok?endpoint=legacy';
    const now = new Date().toISOString();
    const settings = { id, url: harness.receiver.url(path), events: ['incident.opened'], description: null, createdAt: now, updatedAt: now };
    await redis.hset(coordinatorKeys.webhook(id), { json: JSON.stringify(settings), secret, enabled: '1' });
    await redis.zadd(coordinatorKeys.webhookIndex(), 0, id);
    harness.receiver.secrets.set(path, secret);

    // A coordinator starting on this Redis seals it at boot.
    const second = await startTestCoordinator({ redisUrl: harness.redis.url, secretsKey: harness.coordinator.config.secretsKey });
    try {
      await eventually(async () => ((await redis.hget(coordinatorKeys.webhook(id), 'secret'))?.startsWith('whsec_') ? undefined : true), 5_000, 'the secret to be sealed');
    } finally {
      await second.close();
    }
    expect(await rawValues(id)).not.toContain('whsec_');
    const request = await testDelivery(id);
    expect(verifies(secret, request)).toBe(true);
  });
});

/** The documented `SECRETS_KEY` rotation, as far as webhook secrets go: sealed again under the new key. */
describe('webhook signing secrets across a SECRETS_KEY rotation', () => {
  const oldKey = generateSecretsKey();
  const newKey = generateSecretsKey();
  const harness = useWebhookHarness({ secretsKey: oldKey, webhookTimeoutMs: 1_000 });

  it('seals them again under the new key at boot, and they still sign', async () => {
    const { id, secret } = await harness.endpoint('/ok');
    const redis = new Redis(harness.redis.url, { maxRetriesPerRequest: null });
    try {
      const keyIdOf = (key: string) => createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);
      expect((await redis.hget(coordinatorKeys.webhook(id), 'secret'))?.split('.')[1]).toBe(keyIdOf(oldKey));

      // The rotation: a coordinator with the new key, the old one still readable.
      await harness.coordinator.close();
      harness.coordinator = await startTestCoordinator({ redisUrl: harness.redis.url, secretsKey: newKey, secretsKeyPrevious: [oldKey], webhookTimeoutMs: 1_000 });
      await eventually(async () => ((await redis.hget(coordinatorKeys.webhook(id), 'secret'))?.split('.')[1] === keyIdOf(newKey) ? true : undefined), 5_000, 'the secret to be sealed under the new key');
    } finally {
      await redis.quit();
    }
    const response = await harness.coordinator.request(`/v1/webhooks/${id}/test`, { method: 'POST' });
    const { eventId } = (await response.json()) as { eventId: string };
    await harness.processed([eventId]);
    const [request] = harness.receiver.requestsOf(eventId);
    expect(() => new Webhook(secret).verify(request!.body, request!.headers)).not.toThrow();
  });
});
