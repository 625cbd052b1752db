import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { WorkerWatchdog } from '../queues/worker-watchdog.service';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { webhookBackoffStrategy, type RetryAfterHint } from './webhook-backoff';
import type { DeliveryAttempt, DeliveryOutcome } from './webhook-delivery';
import { deliverJobDataSchema, WEBHOOK_DELIVERIES_QUEUE, type DeliverJobData } from './webhook-delivery-job';
import { WebhookSender, type SendResult } from './webhook-sender';
import { signWebhook } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';

/** A failed attempt that is worth retrying; carries the receiver's `Retry-After` to the backoff. */
export class DeliveryAttemptError extends Error implements RetryAfterHint {
  constructor(
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'DeliveryAttemptError';
  }
}

/** What a delivery job returns. */
export type DeliveryJobResult = { delivered: true; attempt: number; status: number } | { skipped: 'endpoint deleted' | 'endpoint disabled' };

/**
 * Delivers webhook events: one job is one event for one endpoint, one run of it one attempt.
 * Each attempt is signed afresh (Standard Webhooks: same `webhook-id`, the attempt's own
 * `webhook-timestamp`), sent, and recorded. 2xx is success; `410 Gone` disables the endpoint and
 * ends the delivery; anything else (3xx included: redirects are not followed) is retried with
 * the custom backoff until the attempts run out.
 */
@Processor(WEBHOOK_DELIVERIES_QUEUE, { concurrency: 20, settings: { backoffStrategy: webhookBackoffStrategy } })
export class WebhookDeliveryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(WebhookSender) private readonly sender: WebhookSender,
    @Inject(WorkerWatchdog) private readonly watchdog: WorkerWatchdog,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    super();
    this.logger = logger.child({ component: 'webhook-deliveries' });
    this.timeoutMs = config.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  }

  onApplicationBootstrap(): void {
    this.watchdog.watch(WEBHOOK_DELIVERIES_QUEUE, this.worker);
  }

  async process(job: Job<DeliverJobData>): Promise<DeliveryJobResult> {
    const parsed = deliverJobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`malformed delivery job ${job.id}: ${parsed.error.message}`);
    const { webhookId, eventId, type, body } = parsed.data;
    const deliveryId = job.id ?? `${eventId}-${webhookId}`;

    // Deleted or disabled since the event was published: nothing to send, nothing to retry.
    const stored = await this.repository.get(webhookId);
    if (!stored) return { skipped: 'endpoint deleted' };
    if (!stored.endpoint.enabled) return { skipped: 'endpoint disabled' };

    const attempt = job.attemptsMade + 1;
    const isLast = attempt >= (job.opts.attempts ?? 1);
    const startedAt = this.clock.now();
    const timestamp = Math.floor(startedAt / 1_000);
    const result = await this.sender.send({
      url: stored.endpoint.url,
      headers: {
        'content-type': 'application/json',
        'webhook-id': eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook({ id: eventId, timestamp, body, secret: stored.secret }),
      },
      body,
      timeoutMs: this.timeoutMs,
    });
    const outcome = outcomeOf(result, isLast);
    const error = errorOf(result);
    const at = new Date(startedAt).toISOString();
    const log = { webhookId, eventId, deliveryId, type, attempt, status: result.status, durationMs: result.durationMs };

    if (outcome === 'disabled') {
      await this.repository.disable(webhookId, `the receiver answered 410 Gone on ${at} (event ${eventId})`, new Date(this.clock.now()).toISOString());
      this.logger.warn(log, 'webhook endpoint answered 410 Gone: disabled');
    }
    const record: DeliveryAttempt = { deliveryId, eventId, type, attempt, at, status: result.status, durationMs: result.durationMs, error, outcome };
    await this.repository.recordAttempt(webhookId, record);

    switch (outcome) {
      case 'succeeded':
        this.logger.debug(log, 'webhook delivered');
        return { delivered: true, attempt, status: result.status ?? 0 };
      case 'disabled':
        throw new UnrecoverableError(error ?? 'endpoint disabled');
      case 'failed':
        this.logger.warn({ ...log, error }, 'webhook delivery failed for good');
        if (result.refused) throw new UnrecoverableError(error ?? 'refused target');
        throw new DeliveryAttemptError(error ?? 'failed', null);
      case 'retrying':
        this.logger.info({ ...log, error }, 'webhook attempt failed; will retry');
        throw new DeliveryAttemptError(error ?? 'failed', result.retryAfterMs);
    }
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    // Connection errors repeat on every reconnect attempt; the Redis watcher reports the outage once.
    if (isRedisUnavailable(error)) this.logger.debug({ err: error }, 'webhook-deliveries worker error');
    else this.logger.error({ err: error }, 'webhook-deliveries worker error');
  }
}

function outcomeOf(result: SendResult, isLast: boolean): DeliveryOutcome {
  if (result.status !== null && result.status >= 200 && result.status < 300) return 'succeeded';
  if (result.status === 410) return 'disabled';
  // A refused address will not become acceptable by waiting.
  if (result.refused || isLast) return 'failed';
  return 'retrying';
}

function errorOf(result: SendResult): string | null {
  if (result.error !== null) return result.error;
  const status = result.status ?? 0;
  if (status >= 200 && status < 300) return null;
  if (status === 410) return 'HTTP 410 Gone: the receiver asked for no more deliveries; endpoint disabled';
  if (status >= 300 && status < 400) {
    return `HTTP ${status}: redirect not followed${result.location !== null ? ` (Location: ${result.location})` : ''}; update the webhook URL`;
  }
  return `HTTP ${status}`;
}
