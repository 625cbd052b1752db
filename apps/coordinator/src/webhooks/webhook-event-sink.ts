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
    const endpoints = await this.repository.subscribers(event.type);
    if (endpoints.length === 0) return;
    const body = JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data });
    await this.queue.addBulk(
      endpoints.map((endpoint) => ({
        name: DELIVER_JOB.name,
        data: { channel: 'webhook' as const, endpointId: endpoint.id, eventId: event.id, type: event.type, body },
        opts: this.jobOptions(deliveryJobIdFor(event.id, endpoint.id)),
      })),
    );
    this.logger.info({ eventId: event.id, type: event.type, webhookIds: endpoints.map((endpoint) => endpoint.id) }, 'event queued for webhooks');
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
    await this.queue.add(DELIVER_JOB.name, { channel: 'webhook', endpointId: endpoint.id, eventId, type: WEBHOOK_TEST_EVENT_TYPE, body }, this.jobOptions(deliveryId));
    this.logger.info({ eventId, webhookId: endpoint.id }, 'test event queued');
    return { eventId, deliveryId };
  }

  /** The job's declared options, plus one attempt per entry of the schedule; the worker decides each wait (see `webhookBackoffStrategy`). */
  private jobOptions(jobId: string): JobsOptions {
    const first = this.schedule[0] ?? 0;
    return jobOptions(DELIVER_JOB, { jobId, attempts: this.schedule.length, ...(first > 0 ? { delay: first } : {}) });
  }
}
