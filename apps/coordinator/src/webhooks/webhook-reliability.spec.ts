import { describe, expect, it } from 'vitest';
import { eventually } from '../testing/fake-region-agent';
import { useWebhookHarness } from '../testing/webhook-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What "never lose an event" means for webhooks, end to end against real receivers: a delivery
 * whose schedule runs out is kept as a dead letter and can be sent again (alone or in bulk, under
 * its original `webhook-id`), an outage far longer than the old retry budget loses nothing, a dead
 * receiver costs a few probes instead of an attempt per event, and an endpoint failing for days
 * is disabled visibly and can be enabled again.
 */
describe('dead letters, retry and replay', () => {
  // Three attempts, quickly; the circuit is kept out of the way (its own suite is below).
  const harness = useWebhookHarness({ webhookRetryScheduleMs: [0, 50, 100], webhookTimeoutMs: 500, webhookCircuitThreshold: 1_000 });

  const post = (path: string, json?: unknown) => harness.coordinator.request(path, { method: 'POST', ...(json !== undefined ? { json } : {}) });

  it('keeps a delivery whose schedule ran out as a dead letter, and POST .../retry sends it again with the same webhook-id and body', async () => {
    const { id } = await harness.endpoint('/ok');
    harness.receiver.refusing = true;
    const sent = harness.event('incident.opened');
    const deliveryId = `${sent.id}-${id}`;
    try {
      await harness.sink.publish(sent);
      const dead = await harness.deliveryIn(id, deliveryId, 'dead');
      expect(dead).toMatchObject({ deliveryId, eventId: sent.id, type: 'incident.opened', state: 'dead', attempts: 3, lastError: 'HTTP 503' });
    } finally {
      harness.receiver.refusing = false;
    }
    const attempts = (await harness.records(id)).filter((record) => record['eventId'] === sent.id).reverse();
    expect(attempts.map((a) => [a['attempt'], a['status'], a['outcome'], a['state']])).toEqual([
      [1, 503, 'retrying', 'scheduled'],
      [2, 503, 'retrying', 'scheduled'],
      [3, 503, 'failed', 'dead'],
    ]);
    expect(attempts[0]!['nextAttemptAt']).toEqual(expect.any(String));
    expect(attempts[2]!['nextAttemptAt']).toBeNull();

    const retried = await post(`/v1/webhooks/${id}/deliveries/${deliveryId}/retry`);
    expect(retried.status).toBe(202);
    expect(await retried.json()).toMatchObject({ deliveryId, eventId: sent.id, state: 'pending' });
    await harness.processed([sent.id]);
    await harness.deliveryIn(id, deliveryId, 'delivered');

    const requests = harness.receiver.requestsOf(sent.id);
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([sent.id]));
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(harness.receiver.processed.get(sent.id)).toEqual({ type: sent.type, timestamp: sent.timestamp, data: sent.data });
    // A retried delivery starts a fresh schedule.
    const [latest] = await harness.records(id);
    expect(latest).toMatchObject({ deliveryId, attempt: 1, status: 204, outcome: 'succeeded', state: 'delivered' });
  });

  it('sends a delivered delivery again on POST .../retry, under the same webhook-id (the receiver deduplicates)', async () => {
    const { id } = await harness.endpoint('/ok');
    const sent = harness.event('incident.resolved');
    const deliveryId = `${sent.id}-${id}`;
    await harness.sink.publish(sent);
    await harness.deliveryIn(id, deliveryId, 'delivered');
    expect((await post(`/v1/webhooks/${id}/deliveries/${deliveryId}/retry`)).status).toBe(202);
    await eventually(async () => (harness.receiver.requestsOf(sent.id).length === 2 ? true : undefined), 8_000, 'the second request');
    expect(harness.receiver.requestsOf(sent.id).map((r) => r.headers['webhook-id'])).toEqual([sent.id, sent.id]);
    await harness.deliveryIn(id, deliveryId, 'delivered');
  });

  it('replays the dead letters created in [since, until] with their original webhook-ids, and only those', async () => {
    const { id } = await harness.endpoint('/ok');
    const disable = await harness.coordinator.request(`/v1/webhooks/${id}`, { method: 'PATCH', json: { enabled: false } });
    expect(disable.status).toBe(200);
    const since = new Date().toISOString();
    const early = [harness.event('incident.opened'), harness.event('incident.updated'), harness.event('region.blind')];
    for (const event of early) await harness.sink.publish(event);
    for (const event of early) await harness.deliveryIn(id, `${event.id}-${id}`, 'dead');
    // Events published while the endpoint is disabled are not sent, and not lost: dead letters.
    const skipped = (await harness.records(id)).filter((record) => record['outcome'] === 'skipped');
    expect(skipped).toHaveLength(3);
    for (const record of skipped) expect(record).toMatchObject({ status: null, state: 'dead', error: expect.stringContaining('disabled') });

    const untilMs = Date.now() + 5;
    await eventually(() => Promise.resolve(Date.now() > untilMs + 5 ? true : undefined), 1_000, 'the clock to pass until');
    const late = harness.event('incident.resolved');
    await harness.sink.publish(late);
    await harness.deliveryIn(id, `${late.id}-${id}`, 'dead');
    expect(harness.receiver.requestsOf(early[0]!.id)).toHaveLength(0);

    // Replaying into a disabled endpoint would only dead-letter them again.
    expect((await post(`/v1/webhooks/${id}/replay`, { since })).status).toBe(409);
    const enable = await harness.coordinator.request(`/v1/webhooks/${id}`, { method: 'PATCH', json: { enabled: true } });
    expect(enable.status).toBe(200);

    const replay = await post(`/v1/webhooks/${id}/replay`, { since, until: new Date(untilMs).toISOString() });
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ replayed: 3, expired: 0 });
    await harness.processed(early.map((event) => event.id));
    for (const event of early) {
      expect(harness.receiver.requestsOf(event.id).map((r) => r.headers['webhook-id'])).toEqual([event.id]);
      expect(harness.receiver.processed.get(event.id)).toEqual({ type: event.type, timestamp: event.timestamp, data: event.data });
    }
    expect((await harness.delivery(id, `${late.id}-${id}`))['state']).toBe('dead');

    // Without `until`: everything since; the three are delivered now, so only the late one is left.
    expect(await (await post(`/v1/webhooks/${id}/replay`, { since })).json()).toEqual({ replayed: 1, expired: 0 });
    await harness.processed([late.id]);
    for (const event of [...early, late]) expect(harness.receiver.processedCount.get(event.id)).toBe(1);
    expect(await (await post(`/v1/webhooks/${id}/replay`, { since })).json()).toEqual({ replayed: 0, expired: 0 });
  });

  it('answers 404 for a delivery that is not this endpoint’s, and 400 naming the field for a bad replay body', async () => {
    const first = await harness.endpoint('/ok');
    const second = await harness.endpoint('/ok');
    const sent = harness.event();
    await harness.sink.publish(sent);
    await harness.deliveryIn(first.id, `${sent.id}-${first.id}`, 'delivered');
    for (const path of [
      `/v1/webhooks/${second.id}/deliveries/${sent.id}-${first.id}/retry`,
      `/v1/webhooks/${first.id}/deliveries/evt_nope-${first.id}/retry`,
      `/v1/webhooks/${first.id}/deliveries/${'x'.repeat(600)}/retry`,
      `/v1/webhooks/wh_aaaaaaaaaaaaaaaaaaaa/deliveries/${sent.id}-${first.id}/retry`,
    ]) {
      const response = await post(path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { statusCode: number }).statusCode).toBe(404);
    }
    expect((await harness.coordinator.request(`/v1/webhooks/${second.id}/deliveries/${sent.id}-${first.id}`)).status).toBe(404);

    const cases: { body: unknown; paths: string[] }[] = [
      { body: {}, paths: ['since'] },
      { body: { since: 'yesterday' }, paths: ['since'] },
      { body: { since: 42 }, paths: ['since'] },
      { body: { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }, paths: ['until'] },
      { body: { since: '2026-01-01T00:00:00Z', until: 'later' }, paths: ['until'] },
      { body: { since: '2026-01-01T00:00:00Z', bogus: true }, paths: ['bogus'] },
      { body: ['2026-01-01T00:00:00Z'], paths: [''] },
    ];
    for (const { body, paths } of cases) {
      const response = await post(`/v1/webhooks/${first.id}/replay`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const problem = (await response.json()) as { issues: { path: string }[] };
      expect(problem.issues.map((issue) => issue.path).sort(), JSON.stringify(body)).toEqual(paths);
    }
  });
});

describe('an outage and the circuit breaker', () => {
  // The Standard Webhooks schedule shortened 12,000 times: 27.6 h become 8.3 s, and the old
  // budget (15 attempts over 30-60 min) would be 0.15-0.3 s.
  const schedule = [0, 1, 25, 150, 600, 1_500, 3_000, 3_000];
  const harness = useWebhookHarness({ webhookRetryScheduleMs: schedule, webhookTimeoutMs: 500, webhookCircuitThreshold: 3, webhookCircuitCooldownMs: 200 });

  it('delivers an event once the receiver is back after an outage far longer than the old retry budget', async () => {
    const { id } = await harness.endpoint('/ok');
    const sent = harness.event('incident.opened');
    harness.receiver.down = true;
    try {
      await harness.sink.publish(sent);
      // 2 s here is 6.7 h of the real schedule: the old budget ran out long before.
      await sleep(2_000);
      expect(harness.receiver.processed.has(sent.id)).toBe(false);
    } finally {
      harness.receiver.down = false;
    }
    await harness.processed([sent.id]);
    expect(harness.receiver.processedCount.get(sent.id)).toBe(1);
    const delivered = await harness.deliveryIn(id, `${sent.id}-${id}`, 'delivered');
    expect(delivered['attempts']).toBeLessThanOrEqual(schedule.length);
    await harness.remove(id);
  });

  it('opens the circuit of a dead receiver: many events cost a few connections, and every one arrives once it is back', { timeout: 60_000 }, async () => {
    const { id } = await harness.endpoint('/ok');
    const events = Array.from({ length: 100 }, (_, i) => harness.event(i % 2 === 0 ? 'incident.opened' : 'incident.resolved'));
    harness.receiver.down = true;
    const before = harness.receiver.connections;
    let during: number;
    try {
      for (const event of events) await harness.sink.publish(event);
      const open = await eventually(
        async () => {
          const webhook = await harness.webhook(id);
          return webhook['circuit'] === 'open' ? webhook : undefined;
        },
        10_000,
        'the circuit to open',
      );
      expect(open).toMatchObject({ state: 'enabled', consecutiveFailures: expect.any(Number), failingSince: expect.any(String) });
      expect(open['consecutiveFailures']).toBeGreaterThanOrEqual(3);
      // Several cool-downs (200, 400, 800 ms...) pass with the receiver dead.
      await sleep(2_500);
      during = harness.receiver.connections - before;
    } finally {
      harness.receiver.down = false;
    }
    await harness.processed(events.map((event) => event.id), 45_000);
    for (const event of events) expect(harness.receiver.processedCount.get(event.id)).toBe(1);
    const closed = await harness.webhook(id);
    expect(closed).toMatchObject({ circuit: 'closed', consecutiveFailures: 0, failingSince: null });

    const records = await harness.records(id);
    const failed = records.filter((record) => record['outcome'] === 'retrying' || record['outcome'] === 'failed');
    process.stdout.write(`  circuit breaker: ${events.length} events to a dead receiver for 2.5 s: ${during} connection attempts, ${failed.length} failed attempts recorded\n`);
    // Without a breaker every event connects at least once (and again at 1, 25, 150, 600 ms...).
    expect(during).toBeLessThan(events.length / 2);
    expect(failed.length).toBeLessThanOrEqual(during);
    await harness.remove(id);
  });
});

describe('an endpoint failing for days', () => {
  // "Days" shortened to 1.5 s; the cool-downs (100 ms doubling) space the probes.
  const harness = useWebhookHarness({
    webhookRetryScheduleMs: [0, 100, 100, 100, 100, 100, 100, 100],
    webhookTimeoutMs: 500,
    webhookCircuitThreshold: 2,
    webhookCircuitCooldownMs: 100,
    webhookDisableAfterMs: 1_500,
  });

  it('is disabled with a webhook.disabled record, keeps its deliveries as dead letters, and comes back through PATCH and replay', async () => {
    const { id } = await harness.endpoint('/ok');
    const since = new Date().toISOString();
    const sent = harness.event('incident.opened');
    harness.receiver.refusing = true;
    let disabled: Record<string, unknown>;
    try {
      await harness.sink.publish(sent);
      disabled = await eventually(
        async () => {
          const webhook = await harness.webhook(id);
          return webhook['state'] === 'disabled' ? webhook : undefined;
        },
        15_000,
        'the endpoint to be disabled',
      );
    } finally {
      harness.receiver.refusing = false;
    }
    expect(disabled).toMatchObject({ enabled: false, state: 'disabled', disabledReason: expect.stringMatching(/failing continuously/), disabledAt: expect.any(String) });
    const records = await harness.records(id);
    const record = records.find((entry) => entry.type === 'webhook.disabled');
    expect(record).toEqual({ type: 'webhook.disabled', at: disabled['disabledAt'], reason: disabled['disabledReason'] });
    const delivery = await harness.deliveryIn(id, `${sent.id}-${id}`, 'dead');
    expect(delivery['attempts']).toBeLessThan(8);
    const sentWhileFailing = harness.receiver.requestsOf(sent.id).length;

    const enabled = await harness.coordinator.request(`/v1/webhooks/${id}`, { method: 'PATCH', json: { enabled: true } });
    expect(await enabled.json()).toMatchObject({ enabled: true, state: 'enabled', disabledReason: null, circuit: 'closed', consecutiveFailures: 0, failingSince: null });
    expect((await harness.records(id))[0]).toMatchObject({ type: 'webhook.enabled', reason: 'enabled through the API' });

    const replay = await harness.coordinator.request(`/v1/webhooks/${id}/replay`, { method: 'POST', json: { since } });
    expect(await replay.json()).toEqual({ replayed: 1, expired: 0 });
    await harness.processed([sent.id]);
    expect(harness.receiver.requestsOf(sent.id)).toHaveLength(sentWhileFailing + 1);
  });
});
