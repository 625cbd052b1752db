import { CATALOG_PREFIX } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { eventually } from '../testing/fake-region-agent';
import { useWebhookHarness, type WebhookHarness } from '../testing/webhook-harness';
import { DELIVER_JOB_NAME, WEBHOOK_DELIVERIES_QUEUE } from './webhook-delivery-job';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deliveries end to end: a coordinator on a redis-server of its own (so no other suite's events
 * or endpoints mix in), a short retry schedule and timeout, and a real receiver.
 */
describe('webhook deliveries', () => {
  const harness = useWebhookHarness({
    webhookRetryScheduleMs: [0, 50, 100, 200, 400, 800, 1_600, 3_200],
    webhookTimeoutMs: 500,
    webhookCircuitCooldownMs: 200,
  });
  const receiver = harness.receiver;

  /** An endpoint on the receiver's `path`; its id. */
  const endpoint = async (path: string, events?: Parameters<WebhookHarness['endpoint']>[1]) => (await harness.endpoint(path, events)).id;

  it('delivers a Standard Webhooks request the standardwebhooks package verifies, with the spec payload', async () => {
    const id = await endpoint('/ok');
    const sent = harness.event('incident.opened');
    await harness.sink.publish(sent);

    const [attempt] = await harness.attemptsOf(id, sent.id, 1);
    expect(attempt).toEqual({
      deliveryId: `${sent.id}-${id}`,
      eventId: sent.id,
      type: 'incident.opened',
      attempt: 1,
      at: expect.any(String),
      status: 204,
      durationMs: expect.any(Number),
      error: null,
      outcome: 'succeeded',
      state: 'delivered',
      nextAttemptAt: null,
    });
    const [request] = receiver.requestsOf(sent.id);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': sent.id,
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]+=*$/),
      'user-agent': expect.stringMatching(/^Crosscheck-Webhooks\/\d+\.\d+\.\d+/),
    });
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1_000)).toBeLessThan(10);
    expect(JSON.parse(request!.body)).toEqual({ type: sent.type, timestamp: sent.timestamp, data: sent.data });
    expect(receiver.processed.get(sent.id)).toEqual({ type: sent.type, timestamp: sent.timestamp, data: sent.data });
    await harness.remove(id);
  });

  it('delivers an event published several times exactly once', async () => {
    const id = await endpoint('/ok');
    const sent = harness.event('incident.updated');
    await Promise.all([harness.sink.publish(sent), harness.sink.publish(sent), harness.sink.publish(sent)]);
    await harness.attemptsOf(id, sent.id, 1);
    await harness.sink.publish(sent); // again, after it was delivered
    await sleep(500);
    expect(receiver.requestsOf(sent.id)).toHaveLength(1);
    expect(await harness.records(id)).toHaveLength(1);
    await harness.remove(id);
  });

  it('retries a failing receiver with the same webhook-id and the same body until it answers 2xx', async () => {
    const id = await endpoint('/flaky');
    const sent = harness.event('incident.resolved');
    await harness.sink.publish(sent);

    const attempts = await harness.attemptsOf(id, sent.id, 3);
    expect(attempts.map((a) => [a.attempt, a.status, a.outcome, a.error])).toEqual([
      [1, 500, 'retrying', 'HTTP 500'],
      [2, 500, 'retrying', 'HTTP 500'],
      [3, 200, 'succeeded', null],
    ]);
    for (const attempt of attempts) {
      expect(attempt.deliveryId).toBe(`${sent.id}-${id}`);
      expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
      expect(attempt.durationMs).toBeLessThan(500);
    }
    const requests = receiver.requestsOf(sent.id);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([sent.id]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    // Every attempt is signed afresh and verifies on its own.
    for (const request of requests) expect(() => new Webhook(receiver.secrets.get(request.path)!).verify(request.body, request.headers)).not.toThrow();
    expect([...receiver.processed.keys()].filter((key) => key === sent.id)).toHaveLength(1);
    // The schedule spaces the attempts: 50 ms, then 100 ms (never less; jitter only adds up to 10%).
    const times = attempts.map((a) => Date.parse(a.at));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(45);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(95);
    expect(attempts[0]!.nextAttemptAt).toEqual(expect.any(String));
    await harness.remove(id);
  });

  it('does not follow a redirect: a 3xx is a failed attempt, and deleting the endpoint stops the retries', async () => {
    const id = await endpoint('/redirect');
    const sent = harness.event('region.blind');
    await harness.sink.publish(sent);

    const attempts = await harness.attemptsOf(id, sent.id, 2);
    for (const attempt of attempts.slice(0, 2)) {
      expect(attempt).toMatchObject({ status: 302, outcome: 'retrying' });
      expect(attempt.error).toContain('redirect not followed');
      expect(attempt.error).toContain(receiver.url('/ok'));
    }
    expect(receiver.requestsOf(sent.id).every((request) => request.path.startsWith('/redirect'))).toBe(true);

    await harness.remove(id);
    const count = receiver.requestsOf(sent.id).length;
    await sleep(1_000);
    // At most the one attempt already under way when the endpoint went.
    expect(receiver.requestsOf(sent.id).length).toBeLessThanOrEqual(count + 1);
  });

  it('disables an endpoint that answers 410 Gone, with a webhook.disabled record, and sends it nothing more', async () => {
    const id = await endpoint('/gone');
    const first = harness.event('incident.opened');
    await harness.sink.publish(first);

    const [attempt] = await harness.attemptsOf(id, first.id, 1);
    expect(attempt).toMatchObject({ attempt: 1, status: 410, outcome: 'disabled', state: 'dead' });
    const disabled = await harness.webhook(id);
    expect(disabled).toMatchObject({ enabled: false, state: 'disabled', disabledReason: expect.stringContaining('410 Gone'), disabledAt: expect.any(String) });
    expect((await harness.records(id)).filter((record) => record.type === 'webhook.disabled')).toEqual([
      { type: 'webhook.disabled', at: disabled['disabledAt'], reason: disabled['disabledReason'] },
    ]);

    // An event published since is not sent: it waits as a dead letter for a replay.
    const later = harness.event('incident.updated');
    await harness.sink.publish(later);
    await harness.deliveryIn(id, `${later.id}-${id}`, 'dead');
    expect(receiver.requestsOf(first.id)).toHaveLength(1);
    expect(receiver.requestsOf(later.id)).toHaveLength(0);
    expect((await harness.records(id)).filter((record) => record['eventId'] === later.id)).toMatchObject([{ outcome: 'skipped', status: null, state: 'dead' }]);
    expect((await harness.coordinator.request(`/v1/webhooks/${id}/test`, { method: 'POST' })).status).toBe(409);
    await harness.remove(id);
  });

  it('records a receiver that never answers as a timed-out attempt, and retries it', async () => {
    const id = await endpoint('/hang');
    const sent = harness.event('region.restored');
    const started = Date.now();
    await harness.sink.publish(sent);

    const [first, second] = await harness.attemptsOf(id, sent.id, 2);
    expect(first).toMatchObject({ attempt: 1, status: null, outcome: 'retrying' });
    expect(first!.error).toMatch(/timeout/);
    expect(first!.durationMs).toBeGreaterThanOrEqual(450);
    expect(first!.durationMs).toBeLessThan(1_500);
    expect(second).toMatchObject({ attempt: 2, status: null, outcome: 'retrying' });
    expect(Date.now() - started).toBeLessThan(4_000);
    await harness.remove(id);
  });

  it('honours Retry-After as a lower bound of the backoff', async () => {
    const id = await endpoint('/busy');
    const sent = harness.event('incident.opened');
    await harness.sink.publish(sent);
    const [first, second] = await harness.attemptsOf(id, sent.id, 2);
    expect(first).toMatchObject({ status: 503, outcome: 'retrying', error: 'HTTP 503' });
    expect(second).toMatchObject({ status: 503, attempt: 2 });
    // The schedule alone would wait 50 ms; the receiver asked for a second.
    expect(Date.parse(second!.at) - Date.parse(first!.at)).toBeGreaterThanOrEqual(950);
    await harness.remove(id);
  });

  it('sends each endpoint only the event types it subscribes to', async () => {
    const resolvedOnly = await endpoint('/ok', ['incident.resolved']);
    const everything = await endpoint('/ok');
    const opened = harness.event('incident.opened');
    const resolved = harness.event('incident.resolved');
    await harness.sink.publish(opened);
    await harness.sink.publish(resolved);

    await harness.attemptsOf(everything, opened.id, 1);
    await harness.attemptsOf(everything, resolved.id, 1);
    await harness.attemptsOf(resolvedOnly, resolved.id, 1);
    await sleep(300);
    expect((await harness.records(resolvedOnly)).map((a) => a['eventId'])).toEqual([resolved.id]);
    expect(receiver.requestsOf(opened.id)).toHaveLength(1);
    expect(receiver.requestsOf(resolved.id)).toHaveLength(2);
    await harness.remove(resolvedOnly);
    await harness.remove(everything);
  });

  it('sends a signed webhook.test event on POST /v1/webhooks/{id}/test, whatever the subscription', async () => {
    const id = await endpoint('/ok', ['region.blind']);
    const response = await harness.coordinator.request(`/v1/webhooks/${id}/test`, { method: 'POST' });
    expect(response.status).toBe(202);
    const { eventId, deliveryId } = (await response.json()) as { eventId: string; deliveryId: string };
    expect(deliveryId).toBe(`${eventId}-${id}`);

    const [attempt] = await harness.attemptsOf(id, eventId, 1);
    expect(attempt).toMatchObject({ deliveryId, type: 'webhook.test', status: 204, outcome: 'succeeded' });
    const payload = receiver.processed.get(eventId) as { type: string; data: Record<string, unknown> };
    expect(payload.type).toBe('webhook.test');
    expect(payload.data).toMatchObject({ webhookId: id });
    await harness.remove(id);
  });

  it('delivers a job queued by the previous version, and marks its last attempt failed: a dead letter', async () => {
    // Through the queue's public interface: a delivery job as the previous version added it
    // (its data shape, 2 attempts, its backoff type), still in the queue after an upgrade.
    const id = await endpoint('/hang');
    const connection = new Redis(harness.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(WEBHOOK_DELIVERIES_QUEUE, { connection, prefix: CATALOG_PREFIX });
    const eventId = `evt_spec_${randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({ type: 'incident.opened', timestamp: new Date().toISOString(), data: {} });
    await queue.add(DELIVER_JOB_NAME, { webhookId: id, eventId, type: 'incident.opened', body }, { jobId: `${eventId}-${id}`, attempts: 2, backoff: { type: 'webhook', delay: 20 } });

    const attempts = await harness.attemptsOf(id, eventId, 2);
    expect(attempts.map((a) => [a.outcome, a.state])).toEqual([
      ['retrying', 'scheduled'],
      ['failed', 'dead'],
    ]);
    await eventually(async () => ((await queue.getJobState(`${eventId}-${id}`)) === 'failed' ? true : undefined), 3_000, 'the job to fail');
    expect(await harness.deliveryIn(id, `${eventId}-${id}`, 'dead')).toMatchObject({ attempts: 2, eventId });
    await sleep(300);
    expect((await harness.records(id)).filter((a) => a['eventId'] === eventId)).toHaveLength(2);
    await queue.close();
    await connection.quit();
    await harness.remove(id);
  });
});
