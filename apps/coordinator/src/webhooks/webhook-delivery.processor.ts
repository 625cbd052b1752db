import { InjectQueue } from '@nestjs/bullmq';
import { CATALOG_PREFIX } from '../redis/coordinator-keys';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_WEBHOOK_DISABLE_AFTER_MS, DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, DEFAULT_WEBHOOK_TIMEOUT_MS, type CoordinatorConfig } from '../config/coordinator-config';
import { formatDuration } from '../config/duration';
import { Clock } from '../core/clock';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { DELIVER_JOB } from '../queues/coordinator-queues';
import { CoordinatorWorkers } from '../queues/coordinator-workers.service';
import { DeliveryCircuit } from './delivery-circuit';
import { STATE_AFTER, type DeliveryAttempt } from './webhook-delivery';
import { deliverJobDataSchema, WEBHOOK_DELIVERIES_QUEUE, type DeliverJobData } from './webhook-delivery-job';
import { coordinatorKeys } from '../redis/coordinator-keys';
import { retryDelay, webhookBackoffStrategy, type RetryDelayHint } from './webhook-retry-schedule';
import { WebhookDeliveryTally } from './webhook-delivery-tally';
import { WebhookSender, type SendResult } from './webhook-sender';
import { signatureHeader } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';
import { pagerDutyMustSend } from '@crosscheck/notify';
import { renderForChannel, UnrenderableEventError, type ChannelRequest, type EventBody } from '../channels/channel-render';
import { MailSender } from '../channels/mail-sender';
import { DeliveryOrder, orderSubjectOf } from './delivery-order';
import type { StoredWebhookEndpoint } from './webhook-endpoint';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import type { RedisClient } from '../redis/redis-connections';

/** How long the summary last sent to PagerDuty for an alert is kept (seconds). */
const PAGERDUTY_SUMMARY_TTL_SECONDS = 30 * 24 * 3_600;
/** How long a delivery waiting for an earlier one of its incident waits before it looks again (ms). */
const ORDER_WAIT_MS = 1_000;

/** A failed attempt that is worth retrying; carries the wait the schedule (and `Retry-After`) decided. */
export class DeliveryAttemptError extends Error implements RetryDelayHint {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = 'DeliveryAttemptError';
  }
}

/** What a delivery job returns. */
export type DeliveryJobResult =
  | { delivered: true; attempt: number; status: number }
  | { skipped: 'endpoint deleted' }
  | { suppressed: string };

/** Most a delivery held back by a circuit waits beyond the circuit's time, spreading which one probes. */
const CIRCUIT_WAIT_JITTER_MS = 1_000;

/**
 * Delivers outbound events: one job is one event for one endpoint, one run of it one attempt.
 *
 * Each attempt asks the endpoint's circuit first: while it is open the job is put back, delayed
 * until the circuit's next probe, without spending an attempt. Then it is signed afresh
 * (Standard Webhooks: same `webhook-id`, the attempt's own `webhook-timestamp`, one signature
 * per signing secret during a rotation), sent, recorded, and counted by the circuit.
 *
 * 2xx is success. Anything else (3xx included: redirects are not followed) is retried after the
 * schedule's next wait until the schedule runs out; then the delivery is a dead letter (failed
 * in the queue, indexed for replay). `410 Gone` and failing continuously for
 * `WEBHOOK_DISABLE_AFTER` disable the endpoint; deliveries whose turn comes while it is disabled
 * become dead letters unsent.
 */
@Injectable()
export class WebhookDeliveryProcessor implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly schedule: readonly number[];
  private readonly disableAfterMs: number;

  constructor(
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(WebhookSender) private readonly sender: WebhookSender,
    @Inject(DeliveryCircuit) private readonly circuit: DeliveryCircuit,
    @Inject(WebhookDeliveryTally) private readonly tally: WebhookDeliveryTally,
    @Inject(MailSender) private readonly mail: MailSender,
    @Inject(DeliveryOrder) private readonly order: DeliveryOrder,
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(CoordinatorWorkers) private readonly workers: CoordinatorWorkers,
    @InjectQueue(WEBHOOK_DELIVERIES_QUEUE) private readonly queue: Queue<DeliverJobData>,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'webhook-deliveries' });
    this.timeoutMs = config.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    this.schedule = config.webhookRetryScheduleMs ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS;
    this.disableAfterMs = config.webhookDisableAfterMs ?? DEFAULT_WEBHOOK_DISABLE_AFTER_MS;
    this.dashboardUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  }

  private readonly dashboardUrl: string;

  onModuleInit(): void {
    this.workers.handle(DELIVER_JOB, (payload, job, { token }) => this.process(payload, job, token));
  }

  onApplicationBootstrap(): void {
    this.workers.open(WEBHOOK_DELIVERIES_QUEUE, {
      queue: WEBHOOK_DELIVERIES_QUEUE,
      prefix: CATALOG_PREFIX,
      concurrency: 20,
      counts: this.queue,
      settings: { backoffStrategy: webhookBackoffStrategy },
      onFailed: (job, error) => this.onFailed(job, error),
    });
  }

  /** One attempt of the delivery `job` carries (its payload parsed by the registry); `token` is the job's lock. */
  async process(payload: DeliverJobData, job: Job, token: string | undefined): Promise<DeliveryJobResult> {
    const { endpointId: webhookId, eventId, type, body } = payload;
    const deliveryId = job.id ?? `${eventId}-${webhookId}`;
    const attempt = job.attemptsMade + 1;

    // Deleted since the event was published: nothing to send, nothing to keep.
    const ordered = orderSubjectOf(body);
    const stored = await this.repository.getWithSecrets(webhookId);
    if (!stored) {
      if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
      return { skipped: 'endpoint deleted' };
    }
    if (!stored.endpoint.enabled) {
      const error = `not sent: the endpoint is disabled (${stored.endpoint.disabledReason ?? 'no reason recorded'}); enable it and replay`;
      await this.record(webhookId, { deliveryId, eventId, type, attempt, at: this.isoNow(), status: null, durationMs: 0, error, outcome: 'skipped' }, null);
      await this.repository.addDeadLetter(webhookId, deliveryId, job.timestamp);
      if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
      throw new UnrecoverableError(error);
    }

    if (ordered) {
      const turn = await this.order.admit(webhookId, ordered.subject, deliveryId, this.queue);
      if (!turn.go) {
        // Not an attempt: an earlier event of the same incident is still on its way to this channel.
        await job.moveToDelayed(this.clock.now() + ORDER_WAIT_MS + Math.round(Math.random() * 250), token);
        throw new DelayedError();
      }
    }

    let request: ChannelRequest | null = null;
    if (stored.channel.type !== 'webhook') {
      try {
        request = renderForChannel(stored.channel, stored.channelSecrets, JSON.parse(body) as EventBody, { channelId: webhookId, dashboardUrl: this.dashboardUrl });
      } catch (renderError) {
        if (!(renderError instanceof UnrenderableEventError)) throw renderError;
        await this.record(webhookId, { deliveryId, eventId, type, attempt, at: this.isoNow(), status: null, durationMs: 0, error: renderError.message, outcome: 'failed' }, null);
        await this.repository.addDeadLetter(webhookId, deliveryId, job.timestamp);
        if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
        throw new UnrecoverableError(renderError.message);
      }
      const quiet = request.kind === 'none' ? request.reason : await this.pagerDutyQuiet(webhookId, request);
      if (quiet !== null) {
        await this.record(webhookId, { deliveryId, eventId, type, attempt, at: this.isoNow(), status: null, durationMs: 0, error: quiet, outcome: 'suppressed' }, null);
        if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
        return { suppressed: quiet };
      }
    }

    const circuitKey = coordinatorKeys.webhookCircuit(webhookId);
    const gate = await this.circuit.admit(circuitKey, this.clock.now());
    if (!gate.go) {
      // Not an attempt: back to the delayed set until the circuit lets a probe through.
      const jitter = Math.round(Math.random() * Math.min(CIRCUIT_WAIT_JITTER_MS, this.circuit.options.cooldownMs / 10));
      await job.moveToDelayed(gate.until + jitter, token);
      throw new DelayedError();
    }

    const isLast = attempt >= (job.opts.attempts ?? 1);
    const startedAt = this.clock.now();
    const timestamp = Math.floor(startedAt / 1_000);
    const result = request === null ? await this.sendWebhook(stored, eventId, timestamp, body) : await this.sendRendered(stored, request, eventId);
    const at = new Date(startedAt).toISOString();
    const error = errorOf(result);
    const base = { deliveryId, eventId, type, attempt, at, status: result.status, durationMs: result.durationMs };
    const log = { webhookId, eventId, deliveryId, type, attempt, status: result.status, durationMs: result.durationMs, probe: gate.probe };

    if (delivered(result, request)) {
      await this.circuit.recordSuccess(circuitKey);
      await this.record(webhookId, { ...base, error: null, outcome: 'succeeded' }, null);
      if (request?.kind === 'http' && request.pagerDuty) await this.rememberPagerDuty(webhookId, request);
      if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
      this.logger.debug(log, 'webhook delivered');
      return { delivered: true, attempt, status: result.status ?? 0 };
    }

    if (result.status === 410) {
      await this.record(webhookId, { ...base, error, outcome: 'disabled' }, null);
      await this.repository.disable(webhookId, `the receiver answered 410 Gone on ${at} (event ${eventId})`, this.isoNow());
      await this.repository.addDeadLetter(webhookId, deliveryId, job.timestamp);
      if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
      this.logger.warn(log, 'webhook endpoint answered 410 Gone: disabled');
      throw new UnrecoverableError(error ?? 'endpoint disabled');
    }

    if (result.refused) {
      // A refused address will not become acceptable by waiting; nor is it the receiver failing.
      await this.record(webhookId, { ...base, error, outcome: 'failed' }, null);
      await this.repository.addDeadLetter(webhookId, deliveryId, job.timestamp);
      if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
      this.logger.warn({ ...log, error }, 'webhook target refused; delivery dead-lettered');
      throw new UnrecoverableError(error ?? 'refused target');
    }

    const now = this.clock.now();
    const circuit = await this.circuit.recordFailure(circuitKey, now);
    if (circuit.failingSince !== null && now - circuit.failingSince >= this.disableAfterMs) {
      const reason =
        `failing continuously for more than ${formatDuration(this.disableAfterMs)} (since ${new Date(circuit.failingSince).toISOString()}, ` +
        `${circuit.consecutiveFailures} failed attempts; the last: ${error ?? 'failed'})`;
      await this.record(webhookId, { ...base, error, outcome: 'disabled' }, null);
      if (await this.repository.disable(webhookId, reason, new Date(now).toISOString())) this.logger.warn({ ...log, error }, 'webhook endpoint failing for too long: disabled');
      await this.repository.addDeadLetter(webhookId, deliveryId, job.timestamp);
      if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
      throw new UnrecoverableError(error ?? 'failed');
    }
    if (isLast) {
      await this.record(webhookId, { ...base, error, outcome: 'failed' }, null);
      await this.repository.addDeadLetter(webhookId, deliveryId, job.timestamp);
      if (ordered) await this.order.done(webhookId, ordered.subject, deliveryId);
      this.logger.warn({ ...log, error }, 'webhook delivery failed for good: dead-lettered');
      throw new UnrecoverableError(error ?? 'failed');
    }
    const waitMs = retryDelay(this.schedule, attempt, result.retryAfterMs);
    await this.record(webhookId, { ...base, error, outcome: 'retrying' }, new Date(startedAt + result.durationMs + waitMs).toISOString());
    this.logger.info({ ...log, error, retryInMs: waitMs, circuit: circuit.state }, 'webhook attempt failed; will retry');
    throw new DeliveryAttemptError(error ?? 'failed', waitMs);
  }

  /**
   * Indexes as a dead letter any delivery that failed for good, also by an error the processor
   * did not expect (a secret that cannot be opened, Redis failing mid-attempt), so that replay
   * finds it too. The processor indexes its own dead letters before failing them, so this is
   * usually a second, harmless, write.
   */
  async onFailed(job: Job, error: Error): Promise<void> {
    if (!job.id) return;
    const final = error.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    const parsed = deliverJobDataSchema.safeParse(job.data);
    if (!final || !parsed.success) return;
    try {
      await this.repository.addDeadLetter(parsed.data.endpointId, job.id, job.timestamp);
    } catch (indexError) {
      this.logger.error({ err: indexError, deliveryId: job.id }, 'dead letter could not be indexed for replay');
    }
  }

  /** A Standard Webhooks delivery: the event as it is, signed afresh for this attempt. */
  private sendWebhook(stored: StoredWebhookEndpoint, eventId: string, timestamp: number, body: string): Promise<SendResult> {
    return this.sender.send({
      url: stored.endpoint.url,
      headers: {
        'content-type': 'application/json',
        'webhook-id': eventId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader({ id: eventId, timestamp, body }, stored.secrets),
      },
      body,
      timeoutMs: this.timeoutMs,
    });
  }

  /** A channel's own request (PagerDuty, Slack, Teams) or mail. */
  private sendRendered(stored: StoredWebhookEndpoint, request: ChannelRequest, eventId: string): Promise<SendResult> {
    if (request.kind === 'http') {
      // The event id lets a receiver (or a relay) deduplicate as webhook receivers do.
      return this.sender.send({ url: request.url, headers: { ...request.headers, 'x-crosscheck-event-id': eventId }, body: request.body, timeoutMs: this.timeoutMs });
    }
    const settings = stored.channel.settings;
    if (request.kind !== 'mail' || settings.type !== 'email') throw new Error(`nothing to send for a ${stored.channel.type} channel`);
    return this.mail.send({ ...settings.smtp, password: stored.channelSecrets.smtpPassword }, request.message, this.timeoutMs);
  }

  /** Why a PagerDuty trigger need not go (its alert already says this), or `null`. */
  private async pagerDutyQuiet(channelId: string, request: ChannelRequest): Promise<string | null> {
    if (request.kind !== 'http' || !request.pagerDuty || request.pagerDuty.event_action !== 'trigger') return null;
    const last = await this.redis.get(coordinatorKeys.pagerDutySummary(channelId, request.pagerDuty.dedup_key));
    return pagerDutyMustSend(last, request.pagerDuty) ? null : 'not sent: the PagerDuty alert already says this (same summary under the same dedup_key)';
  }

  private async rememberPagerDuty(channelId: string, request: ChannelRequest & { kind: 'http' }): Promise<void> {
    const pd = request.pagerDuty!;
    const key = coordinatorKeys.pagerDutySummary(channelId, pd.dedup_key);
    if (pd.event_action === 'resolve') await this.redis.del(key);
    else if (pd.payload) await this.redis.set(key, pd.payload.summary, 'EX', PAGERDUTY_SUMMARY_TTL_SECONDS);
  }

  private async record(webhookId: string, attempt: Omit<DeliveryAttempt, 'state' | 'nextAttemptAt'>, nextAttemptAt: string | null): Promise<void> {
    await this.repository.recordAttempt(webhookId, { ...attempt, state: STATE_AFTER[attempt.outcome], nextAttemptAt });
    this.tally.record(attempt.outcome);
  }

  private isoNow(): string {
    return new Date(this.clock.now()).toISOString();
  }
}

/** A webhook or HTTP channel is delivered on a 2xx; mail when the relay accepted it (the sender's 250). */
function delivered(result: SendResult, request: ChannelRequest | null): boolean {
  if (result.status === null || result.error !== null) return false;
  if (request?.kind === 'mail') return result.status === 250;
  return result.status >= 200 && result.status < 300;
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
