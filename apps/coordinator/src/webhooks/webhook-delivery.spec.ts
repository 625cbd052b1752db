import { COORDINATOR_PREFIX } from '@crosscheck/contract';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_SINK, type EventSink, type OutboundEvent, type OutboundEventType } from '../events/event-sink';
import { eventually } from '../testing/fake-region-agent';
import { freePort, PrivateRedis } from '../testing/private-redis';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import type { DeliveryAttempt } from './webhook-delivery';
import { DELIVER_JOB_NAME, WEBHOOK_DELIVERIES_QUEUE, type DeliverJobData } from './webhook-delivery-job';

/** One request the receiver got, as it came over the wire. */
interface ReceivedRequest {
  /** Path and query: each endpoint of a test gets its own query, hence its own secret. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 that behaves by path (the query names the endpoint): `/ok` 204, `/flaky` 500 for the first two
 * requests of each `webhook-id` then 200, `/redirect` 302 to `/ok`, `/gone` 410, `/busy` 503 with
 * `Retry-After: 1`, `/hang` never answers. Like a careful consumer, it verifies each signature
 * with the independent `standardwebhooks` package (401 when it fails) and processes each
 * `webhook-id` once.
 */
class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Events processed (verified, answered 2xx, first time seen), by `webhook-id`. */
  readonly processed = new Map<string, unknown>();
  readonly secrets = new Map<string, string>();
  private readonly attempts = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  /** Requests of one event (by `webhook-id`). */
  requestsOf(eventId: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.headers['webhook-id'] === eventId);
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const received: ReceivedRequest = {
      path: request.url ?? '',
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(received);
    const eventId = received.headers['webhook-id'] ?? '';
    const seen = (this.attempts.get(eventId) ?? 0) + 1;
    this.attempts.set(eventId, seen);
    switch (new URL(received.path, this.base).pathname) {
      case '/hang':
        this.hanging.add(response);
        return;
      case '/gone':
        response.writeHead(410).end();
        return;
      case '/redirect':
        response.writeHead(302, { location: this.url('/ok') }).end();
        return;
      case '/busy':
        response.writeHead(503, { 'retry-after': '1' }).end('busy');
        return;
      case '/flaky':
        if (seen <= 2) {
          response.writeHead(500).end('not yet');
          return;
        }
        break;
    }
    let payload: unknown;
    try {
      payload = new Webhook(this.secrets.get(received.path) ?? '').verify(received.body, received.headers);
    } catch {
      response.writeHead(401).end('bad signature');
      return;
    }
    if (!this.processed.has(eventId)) this.processed.set(eventId, payload);
    response.writeHead(received.path.startsWith('/ok') ? 204 : 200).end();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deliveries end to end: a coordinator on a redis-server of its own (so no other suite's events
 * or endpoints mix in), small retry base and timeout, and a real receiver.
 */
describe('webhook deliveries', () => {
  let redis: PrivateRedis;
  let coordinator: TestCoordinator;
  let sink: EventSink;
  const receiver = new TestReceiver();

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    coordinator = await startTestCoordinator({ redisUrl: redis.url, webhookRetryBaseMs: 50, webhookTimeoutMs: 500 });
    sink = coordinator.app.get<typeof EVENT_SINK, EventSink>(EVENT_SINK);
    await receiver.start();
  });

  afterAll(async () => {
    await coordinator.close();
    await receiver.close();
    await redis.destroy();
  });

  let endpoints = 0;

  /** Registers an endpoint on the receiver's `path` (with a query of its own) and tells the receiver its secret. */
  async function endpoint(path: string, events?: OutboundEventType[]): Promise<string> {
    const pathAndQuery = `${path}?endpoint=${++endpoints}`;
    const response = await coordinator.request('/v1/webhooks', { method: 'POST', json: { url: receiver.url(pathAndQuery), ...(events ? { events } : {}) } });
    expect(response.status).toBe(201);
    const { id, secret } = (await response.json()) as { id: string; secret: string };
    receiver.secrets.set(pathAndQuery, secret);
    return id;
  }

  async function remove(webhookId: string): Promise<void> {
    expect((await coordinator.request(`/v1/webhooks/${webhookId}`, { method: 'DELETE' })).status).toBe(204);
  }

  function event(type: OutboundEventType = 'incident.opened'): OutboundEvent {
    return {
      id: `evt_spec_${randomBytes(6).toString('hex')}_${type}`,
      type,
      timestamp: new Date().toISOString(),
      data: { incidentId: `inc_${randomBytes(4).toString('hex')}`, monitorId: 'mon_aaaaaaaaaaaaaaaaaaaa', classificationAfter: 'outage', affectedRegions: ['eu-west'] },
    };
  }

  async function deliveries(webhookId: string): Promise<DeliveryAttempt[]> {
    const response = await coordinator.request(`/v1/webhooks/${webhookId}/deliveries?limit=500`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: DeliveryAttempt[] }).items;
  }

  /** Waits until the endpoint has at least `count` recorded attempts of `eventId`; returns them oldest first. */
  async function attemptsOf(webhookId: string, eventId: string, count: number, timeoutMs = 8_000): Promise<DeliveryAttempt[]> {
    return eventually(
      async () => {
        const mine = (await deliveries(webhookId)).filter((attempt) => attempt.eventId === eventId).reverse();
        return mine.length >= count ? mine : undefined;
      },
      timeoutMs,
      `${count} attempts of ${eventId}`,
    );
  }

  it('delivers a Standard Webhooks request the standardwebhooks package verifies, with the spec payload', async () => {
    const id = await endpoint('/ok');
    const sent = event('incident.opened');
    await sink.publish(sent);

    const [attempt] = await attemptsOf(id, sent.id, 1);
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
    await remove(id);
  });

  it('delivers an event published several times exactly once', async () => {
    const id = await endpoint('/ok');
    const sent = event('incident.updated');
    await Promise.all([sink.publish(sent), sink.publish(sent), sink.publish(sent)]);
    await attemptsOf(id, sent.id, 1);
    await sink.publish(sent); // again, after it was delivered
    await sleep(500);
    expect(receiver.requestsOf(sent.id)).toHaveLength(1);
    expect(await deliveries(id)).toHaveLength(1);
    await remove(id);
  });

  it('retries a failing receiver with the same webhook-id and the same body until it answers 2xx', async () => {
    const id = await endpoint('/flaky');
    const sent = event('incident.resolved');
    await sink.publish(sent);

    const attempts = await attemptsOf(id, sent.id, 3);
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
    // Backoff: the attempts are spaced (base 50 ms: at least 25 ms, then 50 ms).
    const times = attempts.map((a) => Date.parse(a.at));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(20);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(45);
    await remove(id);
  });

  it('does not follow a redirect: a 3xx is a failed attempt, and deleting the endpoint stops the retries', async () => {
    const id = await endpoint('/redirect');
    const sent = event('region.blind');
    await sink.publish(sent);

    const attempts = await attemptsOf(id, sent.id, 2);
    for (const attempt of attempts.slice(0, 2)) {
      expect(attempt).toMatchObject({ status: 302, outcome: 'retrying' });
      expect(attempt.error).toContain('redirect not followed');
      expect(attempt.error).toContain(receiver.url('/ok'));
    }
    expect(receiver.requestsOf(sent.id).every((request) => request.path.startsWith('/redirect'))).toBe(true);

    await remove(id);
    const count = receiver.requestsOf(sent.id).length;
    await sleep(1_000);
    // At most the one attempt already under way when the endpoint went.
    expect(receiver.requestsOf(sent.id).length).toBeLessThanOrEqual(count + 1);
  });

  it('disables an endpoint that answers 410 Gone, and sends it nothing more', async () => {
    const id = await endpoint('/gone');
    const first = event('incident.opened');
    await sink.publish(first);

    const [attempt] = await attemptsOf(id, first.id, 1);
    expect(attempt).toMatchObject({ attempt: 1, status: 410, outcome: 'disabled' });
    const disabled = (await (await coordinator.request(`/v1/webhooks/${id}`)).json()) as Record<string, unknown>;
    expect(disabled).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410 Gone'), disabledAt: expect.any(String) });

    const later = event('incident.updated');
    await sink.publish(later);
    await sleep(700);
    expect(receiver.requestsOf(first.id)).toHaveLength(1);
    expect(receiver.requestsOf(later.id)).toHaveLength(0);
    expect(await deliveries(id)).toHaveLength(1);
    expect((await coordinator.request(`/v1/webhooks/${id}/test`, { method: 'POST' })).status).toBe(409);
    await remove(id);
  });

  it('records a receiver that never answers as a timed-out attempt, and retries it', async () => {
    const id = await endpoint('/hang');
    const sent = event('region.restored');
    const started = Date.now();
    await sink.publish(sent);

    const [first, second] = await attemptsOf(id, sent.id, 2);
    expect(first).toMatchObject({ attempt: 1, status: null, outcome: 'retrying' });
    expect(first!.error).toMatch(/timeout/);
    expect(first!.durationMs).toBeGreaterThanOrEqual(450);
    expect(first!.durationMs).toBeLessThan(1_500);
    expect(second).toMatchObject({ attempt: 2, status: null, outcome: 'retrying' });
    expect(Date.now() - started).toBeLessThan(4_000);
    await remove(id);
  });

  it('honours Retry-After as a lower bound of the backoff', async () => {
    const id = await endpoint('/busy');
    const sent = event('incident.opened');
    await sink.publish(sent);
    const [first, second] = await attemptsOf(id, sent.id, 2);
    expect(first).toMatchObject({ status: 503, outcome: 'retrying', error: 'HTTP 503' });
    expect(second).toMatchObject({ status: 503, attempt: 2 });
    // The backoff alone would wait 25-50 ms; the receiver asked for a second.
    expect(Date.parse(second!.at) - Date.parse(first!.at)).toBeGreaterThanOrEqual(950);
    await remove(id);
  });

  it('sends each endpoint only the event types it subscribes to', async () => {
    const resolvedOnly = await endpoint('/ok', ['incident.resolved']);
    const everything = await endpoint('/ok');
    const opened = event('incident.opened');
    const resolved = event('incident.resolved');
    await sink.publish(opened);
    await sink.publish(resolved);

    await attemptsOf(everything, opened.id, 1);
    await attemptsOf(everything, resolved.id, 1);
    await attemptsOf(resolvedOnly, resolved.id, 1);
    await sleep(300);
    expect((await deliveries(resolvedOnly)).map((a) => a.eventId)).toEqual([resolved.id]);
    expect(receiver.requestsOf(opened.id)).toHaveLength(1);
    expect(receiver.requestsOf(resolved.id)).toHaveLength(2);
    await remove(resolvedOnly);
    await remove(everything);
  });

  it('sends a signed webhook.test event on POST /v1/webhooks/{id}/test, whatever the subscription', async () => {
    const id = await endpoint('/ok', ['region.blind']);
    const response = await coordinator.request(`/v1/webhooks/${id}/test`, { method: 'POST' });
    expect(response.status).toBe(202);
    const { eventId, deliveryId } = (await response.json()) as { eventId: string; deliveryId: string };
    expect(deliveryId).toBe(`${eventId}-${id}`);

    const [attempt] = await attemptsOf(id, eventId, 1);
    expect(attempt).toMatchObject({ deliveryId, type: 'webhook.test', status: 204, outcome: 'succeeded' });
    const payload = receiver.processed.get(eventId) as { type: string; data: Record<string, unknown> };
    expect(payload.type).toBe('webhook.test');
    expect(payload.data).toMatchObject({ webhookId: id });
    await remove(id);
  });

  it('marks the last attempt failed and stops there', async () => {
    // Through the queue's public interface: a delivery job with 2 attempts, as the sink would add it.
    const id = await endpoint('/hang');
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue<DeliverJobData>(WEBHOOK_DELIVERIES_QUEUE, { connection, prefix: COORDINATOR_PREFIX });
    const eventId = `evt_spec_${randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({ type: 'incident.opened', timestamp: new Date().toISOString(), data: {} });
    await queue.add(DELIVER_JOB_NAME, { webhookId: id, eventId, type: 'incident.opened', body }, { jobId: `${eventId}-${id}`, attempts: 2, backoff: { type: 'webhook', delay: 20 } });

    const attempts = await attemptsOf(id, eventId, 2);
    expect(attempts.map((a) => a.outcome)).toEqual(['retrying', 'failed']);
    await eventually(async () => ((await queue.getJobState(`${eventId}-${id}`)) === 'failed' ? true : undefined), 3_000, 'the job to fail');
    await sleep(300);
    expect((await deliveries(id)).filter((a) => a.eventId === eventId)).toHaveLength(2);
    await queue.close();
    await connection.quit();
    await remove(id);
  });
});
