import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jobOptions } from '@crosscheck/jobs';
import type { JobsOptions, Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import type { EventSink, SinkEvent } from '../events/event-sink';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { DELIVER_JOB } from '../queues/coordinator-queues';
import { deliveryJobIdFor, EVENT_ID_PATTERN, WEBHOOK_DELIVERIES_QUEUE, type DeliverJobData } from './webhook-delivery-job';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE, type WebhookEndpoint } from './webhook-endpoint';
import { WebhooksRepository } from './webhooks.repository';
import type { PolicySeverity } from '@crosscheck/contract';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { PoliciesRepository } from '../policies/policies.repository';
import { routeEvent, type RoutableEvent } from '../policies/routing';
import { DeliveryOrder, orderSubjectOf } from './delivery-order';
import type { ChannelRecord } from './webhook-endpoint';

/** An event the sink cannot deliver as given (a bug in the publisher, not a passing failure). */
export class InvalidOutboundEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOutboundEventError';
  }
}

/** What `POST /v1/webhooks/{id}/test` answers. */
export interface TestDelivery {
  eventId: string;
  deliveryId: string;
}

/**
 * The webhooks' {@link EventSink}: an event becomes one job per subscribed endpoint on the
 * `webhook-deliveries` queue (a disabled endpoint's job becomes a dead letter without being sent,
 * so a replay can deliver it once the endpoint is enabled again). The job id derives from the
 * event and the endpoint, so publishing an event again (the outbox relay publishes at least once)
 * adds nothing while the first job is kept (a day after delivery, 30
 * days as a dead letter: {@link DELIVER_JOB}'s options). The body is serialized
 * here, once: every attempt sends, and signs, the same bytes.
 */
@Injectable()
export class WebhookEventSink implements EventSink, OnModuleInit {
  private readonly logger: Logger;
  private readonly schedule: readonly number[];

  constructor(
    @InjectQueue(WEBHOOK_DELIVERIES_QUEUE) private readonly queue: Queue<DeliverJobData>,
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(DeliveryOrder) private readonly order: DeliveryOrder,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'webhooks' });
    this.schedule = config.webhookRetryScheduleMs ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS;
  }

  onModuleInit(): void {
    // Without a listener, BullMQ prints connection errors to stderr; the Redis watcher logs outages.
    this.queue.on('error', (error: Error) => this.logger.debug({ err: error, queue: WEBHOOK_DELIVERIES_QUEUE }, 'queue error'));
  }

  /**
   * Enqueues `event` for every endpoint subscribed to its type. Throws
   * {@link InvalidOutboundEventError} for an event that cannot be sent (unknown type, id that is
   * not a header value), and Redis errors as they come (publish again: nothing doubles).
   */
  async publish(event: SinkEvent): Promise<void> {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type)) {
      throw new InvalidOutboundEventError(`unknown event type ${JSON.stringify(event.type)}`);
    }
    if (!EVENT_ID_PATTERN.test(event.id)) {
      throw new InvalidOutboundEventError(`event id ${JSON.stringify(event.id)} is not 1-256 visible ASCII characters`);
    }
    const [records, policies, routable] = await Promise.all([this.repository.allRecords(), this.policies.all(), this.routableOf(event)]);
    const routes = routeEvent(
      routable,
      policies.map((stored) => stored.policy),
      records.map((record) => ({ id: record.endpoint.id, routing: record.channel.routing, events: record.endpoint.events })),
    );
    const byId = new Map(records.map((record) => [record.endpoint.id, record]));
    await this.enqueue(event, routes.map((route) => byId.get(route.channelId)!));
    if (routes.length > 0) this.logger.info({ eventId: event.id, type: event.type, routes }, 'event queued for channels');
  }

  /**
   * Enqueues `event` for exactly these channels (a reminder or an escalation goes where its policy
   * says, not through routing again), each only if it takes the event's type.
   */
  async publishTo(event: SinkEvent, channelIds: readonly string[]): Promise<void> {
    const records = (await Promise.all([...new Set(channelIds)].map((id) => this.repository.getRecord(id)))).filter(
      (record): record is ChannelRecord => record !== null && record.endpoint.events.includes(event.type),
    );
    await this.enqueue(event, records);
    if (records.length > 0) this.logger.info({ eventId: event.id, type: event.type, channelIds: records.map((r) => r.endpoint.id) }, 'event queued for channels');
  }

  /** One job per channel (its id derived from the event's and the channel's), recorded in its incident's order first. */
  private async enqueue(event: SinkEvent, records: readonly ChannelRecord[]): Promise<void> {
    if (records.length === 0) return;
    const body = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
    const ordered = orderSubjectOf(body);
    if (ordered) {
      await this.order.enqueue(records.map((record) => ({ channelId: record.endpoint.id, subject: ordered.subject, deliveryId: deliveryJobIdFor(event.id, record.endpoint.id), at: ordered.at })));
    }
    await this.queue.addBulk(
      records.map((record) => ({
        name: DELIVER_JOB.name,
        data: { channel: record.channel.type, endpointId: record.endpoint.id, eventId: event.id, type: event.type, body },
        opts: this.jobOptions(deliveryJobIdFor(event.id, record.endpoint.id)),
      })),
    );
  }

  /** What routing needs of an event: its severity, and the labels and channels of the monitors it is about. */
  private async routableOf(event: SinkEvent): Promise<RoutableEvent> {
    const data = event.data as { monitor?: { id?: string }; incident?: { severity?: PolicySeverity } | null; maintenance?: { monitorIds?: string[] } };
    const ids = data.maintenance?.monitorIds ?? (data.monitor?.id !== undefined ? [data.monitor.id] : []);
    const stored = await Promise.all(ids.slice(0, 200).map((id) => this.monitors.get(id)));
    return {
      type: event.type,
      severity: data.incident?.severity ?? null,
      monitors: stored.flatMap((found) => (found ? [{ labels: found.monitor.labels ?? {}, channels: found.monitor.channels ?? [] }] : [])),
    };
  }

  /**
   * Enqueues a `webhook.test` event for `endpoint` alone, whatever it subscribes to. It goes
   * through the same queue, signing and retries as any event.
   */
  async publishTest(endpoint: WebhookEndpoint): Promise<TestDelivery> {
    const now = this.clock.now();
    const eventId = `evt_test_${now}_${randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({
      type: WEBHOOK_TEST_EVENT_TYPE,
      timestamp: new Date(now).toISOString(),
      data: { webhookId: endpoint.id, url: endpoint.url, message: 'Test delivery from Crosscheck: if you can read this, the endpoint works.' },
    });
    const deliveryId = deliveryJobIdFor(eventId, endpoint.id);
    const record = await this.repository.getRecord(endpoint.id);
    await this.queue.add(DELIVER_JOB.name, { channel: record?.channel.type ?? 'webhook', endpointId: endpoint.id, eventId, type: WEBHOOK_TEST_EVENT_TYPE, body }, this.jobOptions(deliveryId));
    this.logger.info({ eventId, webhookId: endpoint.id }, 'test event queued');
    return { eventId, deliveryId };
  }

  /** The job's declared options, plus one attempt per entry of the schedule; the worker decides each wait (see `webhookBackoffStrategy`). */
  private jobOptions(jobId: string): JobsOptions {
    const first = this.schedule[0] ?? 0;
    return jobOptions(DELIVER_JOB, { jobId, attempts: this.schedule.length, ...(first > 0 ? { delay: first } : {}) });
  }
}
