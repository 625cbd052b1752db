import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { CoordinatorConfig } from '../config/coordinator-config';
import type { DeliveryAttempt } from '../webhooks/webhook-delivery';
import { EVENT_SINK, type EventSink, type OutboundEvent, type OutboundEventType } from '../events/event-sink';
import { eventually } from './fake-region-agent';
import { freePort, PrivateRedis } from './private-redis';
import { startTestCoordinator, type TestCoordinator } from './test-coordinator';
import { TestWebhookReceiver } from './webhook-receiver';
import { sampleEventData } from './sample-event-data';

/** A record of `GET /v1/webhooks/{id}/deliveries`, loosely typed: tests read what they assert on. */
export type DeliveryRecord = Record<string, unknown> & { type: string };

/**
 * A coordinator on a redis-server of its own (endpoints and the delivery queue are global, so no
 * other suite's events mix in), a receiver, and the calls webhook suites make over and over.
 */
export class WebhookHarness {
  readonly receiver = new TestWebhookReceiver();
  redis!: PrivateRedis;
  coordinator!: TestCoordinator;
  sink!: EventSink;
  private endpoints = 0;
  private readonly created = new Set<string>();

  constructor(private readonly config: Partial<CoordinatorConfig>) {}

  async start(): Promise<this> {
    this.redis = new PrivateRedis(await freePort());
    await this.redis.start();
    this.coordinator = await startTestCoordinator({ redisUrl: this.redis.url, ...this.config });
    this.sink = this.coordinator.app.get<typeof EVENT_SINK, EventSink>(EVENT_SINK);
    await this.receiver.start();
    return this;
  }

  async close(): Promise<void> {
    await this.coordinator?.close();
    await this.receiver.close();
    await this.redis?.destroy();
  }

  /** Registers an endpoint on the receiver's `path` (with a query of its own) and tells the receiver its secret. */
  async endpoint(path: string, events?: OutboundEventType[]): Promise<{ id: string; secret: string; path: string }> {
    const pathAndQuery = `${path}?endpoint=${++this.endpoints}`;
    const response = await this.coordinator.request('/v1/webhooks', { method: 'POST', json: { url: this.receiver.url(pathAndQuery), ...(events ? { events } : {}) } });
    expect(response.status).toBe(201);
    const { id, secret } = (await response.json()) as { id: string; secret: string };
    this.receiver.secrets.set(pathAndQuery, secret);
    this.created.add(id);
    return { id, secret, path: pathAndQuery };
  }

  async remove(webhookId: string): Promise<void> {
    expect((await this.coordinator.request(`/v1/webhooks/${webhookId}`, { method: 'DELETE' })).status).toBe(204);
    this.created.delete(webhookId);
  }

  /**
   * Deletes every endpoint a test left (events go to every subscribed endpoint, so one test's
   * endpoints would receive the next test's events), and puts the receiver back up.
   */
  async removeAll(): Promise<void> {
    for (const id of this.created) await this.coordinator.request(`/v1/webhooks/${id}`, { method: 'DELETE' });
    this.created.clear();
    this.receiver.down = false;
    this.receiver.refusing = false;
  }

  event(type: OutboundEvent['type'] = 'incident.opened'): OutboundEvent {
    return {
      id: `evt_spec_${randomBytes(6).toString('hex')}_${type}`,
      type,
      timestamp: new Date().toISOString(),
      data: sampleEventData(`inc_${randomBytes(4).toString('hex')}`),
    };
  }

  async webhook(webhookId: string): Promise<Record<string, unknown>> {
    const response = await this.coordinator.request(`/v1/webhooks/${webhookId}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Every record of the endpoint's delivery log, newest first. */
  async records(webhookId: string): Promise<DeliveryRecord[]> {
    const response = await this.coordinator.request(`/v1/webhooks/${webhookId}/deliveries?limit=500`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: DeliveryRecord[] }).items;
  }

  /** One delivery's current state (`GET /v1/webhooks/{id}/deliveries/{deliveryId}`). */
  async delivery(webhookId: string, deliveryId: string): Promise<Record<string, unknown>> {
    const response = await this.coordinator.request(`/v1/webhooks/${webhookId}/deliveries/${deliveryId}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Waits until the endpoint has at least `count` recorded attempts of `eventId`; returns them oldest first. */
  async attemptsOf(webhookId: string, eventId: string, count: number, timeoutMs = 8_000): Promise<DeliveryAttempt[]> {
    return eventually(
      async () => {
        const mine = (await this.records(webhookId)).filter((record) => record['eventId'] === eventId).reverse();
        return mine.length >= count ? (mine as unknown as DeliveryAttempt[]) : undefined;
      },
      timeoutMs,
      `${count} attempts of ${eventId}`,
    );
  }

  /** Waits until the delivery is in `state`. */
  async deliveryIn(webhookId: string, deliveryId: string, state: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    return eventually(
      async () => {
        const delivery = await this.delivery(webhookId, deliveryId);
        return delivery['state'] === state ? delivery : undefined;
      },
      timeoutMs,
      `delivery ${deliveryId} to be ${state}`,
    );
  }

  /** Waits until the receiver processed every one of `eventIds`. */
  async processed(eventIds: readonly string[], timeoutMs = 15_000): Promise<void> {
    await eventually(
      () => (eventIds.every((id) => this.receiver.processed.has(id)) ? Promise.resolve(true) : Promise.resolve(undefined)),
      timeoutMs,
      `${eventIds.filter((id) => !this.receiver.processed.has(id)).length} of ${eventIds.length} events to arrive`,
    );
  }
}

/**
 * A {@link WebhookHarness} for the enclosing `describe`: started before its tests, cleared of
 * endpoints after each, closed after all.
 */
export function useWebhookHarness(config: Partial<CoordinatorConfig>): WebhookHarness {
  const harness = new WebhookHarness(config);
  beforeAll(async () => {
    await harness.start();
  });
  afterEach(async () => {
    await harness.removeAll();
  });
  afterAll(async () => {
    await harness.close();
  });
  return harness;
}
