import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Job, JobState, Queue } from 'bullmq';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { Delivery, DeliveryState } from './webhook-delivery';
import { deliverJobDataSchema, WEBHOOK_DELIVERIES_QUEUE, type DeliverJobData } from './webhook-delivery-job';
import { DEAD_LETTERS_MAX, WebhooksRepository } from './webhooks.repository';

/** A delivery id as the queue makes them (`<eventId or hash>-<webhookId>`): visible ASCII without `:`. */
const DELIVERY_ID_PATTERN = /^[\x21-\x39\x3b-\x7e]{1,300}$/;

/** Dead letters read from the index per round trip of a replay. */
const REPLAY_BATCH = 500;

/** What asking to send a delivery again came to. */
export type RetryResult = { kind: 'queued'; delivery: Delivery } | { kind: 'not-found' } | { kind: 'busy' };

/** What a replay did: dead letters sent again, and dead letters the queue no longer kept. */
export interface ReplayResult {
  replayed: number;
  expired: number;
}

/**
 * One endpoint's deliveries in the queue: a delivery's state, sending one again, replaying the
 * dead letters of a period. Each goes through the same job (same id, same data), so a retry or
 * a replay carries the original `webhook-id` and body, and gets a fresh retry schedule.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly logger: Logger;

  constructor(
    @InjectQueue(WEBHOOK_DELIVERIES_QUEUE) private readonly queue: Queue<DeliverJobData>,
    @Inject(WebhooksRepository) private readonly repository: WebhooksRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'webhook-deliveries' });
  }

  /** The delivery as it stands; `null` when the queue does not have it (or it is another endpoint's). */
  async get(webhookId: string, deliveryId: string): Promise<Delivery | null> {
    const found = await this.find(webhookId, deliveryId);
    return found ? viewOf(found.job, found.data, stateOf(await found.job.getState())) : null;
  }

  /**
   * Sends a delivery again now: a dead letter or a delivered one goes back to the queue with a
   * fresh schedule, one waiting for its next attempt is promoted; one being sent is `busy`.
   */
  async retry(webhookId: string, deliveryId: string): Promise<RetryResult> {
    const found = await this.find(webhookId, deliveryId);
    if (!found) return { kind: 'not-found' };
    const { job, data } = found;
    const state = await job.getState();
    try {
      if (state === 'failed' || state === 'completed') {
        await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
        if (state === 'failed') await this.repository.removeDeadLetters(webhookId, [deliveryId]);
      } else if (state === 'delayed') {
        await job.promote();
      } else if (state === 'active') {
        return { kind: 'busy' };
      }
    } catch (error) {
      // The job moved between reading its state and acting on it (an attempt started or ended).
      this.logger.debug({ err: error, webhookId, deliveryId }, 'delivery changed state while being retried');
      return { kind: 'busy' };
    }
    this.logger.info({ webhookId, deliveryId, eventId: data.eventId, from: state }, 'delivery queued again');
    return { kind: 'queued', delivery: { ...viewOf(job, data, 'pending'), attempts: 0, finishedAt: null } };
  }

  /**
   * Sends again every dead letter of the endpoint queued in `[since, until]` (epoch ms), with its
   * original `webhook-id` and body. Dead letters the queue no longer keeps (past the retention)
   * are counted as `expired` and forgotten.
   */
  async replay(webhookId: string, since: number, until: number | null): Promise<ReplayResult> {
    const upTo = until ?? this.clock.now();
    const seen = new Set<string>();
    const result: ReplayResult = { replayed: 0, expired: 0 };
    // Each batch is removed from the index as it is handled, so the next read starts after it.
    // A replayed delivery that fails for good at once comes back into the index: `seen` stops
    // it from being replayed twice in one call.
    while (seen.size < DEAD_LETTERS_MAX) {
      const ids = (await this.repository.deadLetters(webhookId, since, upTo, REPLAY_BATCH)).filter((id) => !seen.has(id));
      if (ids.length === 0) break;
      await this.repository.removeDeadLetters(webhookId, ids);
      for (const id of ids) {
        seen.add(id);
        const job = await this.queue.getJob(id);
        if (!job) {
          result.expired++;
          continue;
        }
        if ((await job.getState()) !== 'failed') continue;
        try {
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
          result.replayed++;
        } catch (error) {
          this.logger.debug({ err: error, webhookId, deliveryId: id }, 'dead letter changed state while being replayed');
        }
      }
    }
    this.logger.info({ webhookId, since: new Date(since).toISOString(), until: new Date(upTo).toISOString(), ...result }, 'dead letters replayed');
    return result;
  }

  private async find(webhookId: string, deliveryId: string): Promise<{ job: Job<DeliverJobData>; data: DeliverJobData } | null> {
    if (!DELIVERY_ID_PATTERN.test(deliveryId) || !deliveryId.endsWith(`-${webhookId}`)) return null;
    const job = await this.queue.getJob(deliveryId);
    if (!job) return null;
    const parsed = deliverJobDataSchema.safeParse(job.data);
    if (!parsed.success || parsed.data.endpointId !== webhookId) return null;
    return { job, data: parsed.data };
  }
}

function stateOf(state: JobState | 'unknown'): DeliveryState {
  switch (state) {
    case 'completed':
      return 'delivered';
    case 'failed':
      return 'dead';
    case 'delayed':
      return 'scheduled';
    case 'active':
      return 'sending';
    default:
      return 'pending';
  }
}

function viewOf(job: Job<DeliverJobData>, data: DeliverJobData, state: DeliveryState): Delivery {
  const finished = state === 'delivered' || state === 'dead';
  return {
    deliveryId: job.id ?? '',
    eventId: data.eventId,
    type: data.type,
    state,
    attempts: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: finished && job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    lastError: job.failedReason ? job.failedReason : null,
  };
}
