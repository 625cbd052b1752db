import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { RedisClient } from '../redis/redis-connections';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import {
  DEFAULT_WEBHOOK_CIRCUIT_COOLDOWN_MS,
  DEFAULT_WEBHOOK_CIRCUIT_THRESHOLD,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type CoordinatorConfig,
} from '../config/coordinator-config';
import { EVENT_SINK } from '../events/event-sink';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { DeliveryCircuit } from './delivery-circuit';
import { WebhookDeliveries } from './webhook-deliveries.service';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WEBHOOK_DELIVERIES_QUEUE } from './webhook-delivery-job';
import { WebhookEventSink } from './webhook-event-sink';
import { WebhookSender } from './webhook-sender';
import { WebhookDeliveryTally } from './webhook-delivery-tally';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { ChannelsController } from '../channels/channels.controller';
import { ChannelsService } from '../channels/channels.service';
import { MailSender } from '../channels/mail-sender';
import { PoliciesController } from '../policies/policies.controller';
import { PoliciesRepository } from '../policies/policies.repository';
import { PoliciesService } from '../policies/policies.service';
import { DeliveryOrder } from './delivery-order';

/** An open circuit's cool-down doubles after each failed probe, up to this many times the first. */
const CIRCUIT_COOLDOWN_GROWTH = 16;

/** The endpoints' circuit breaker, from the config. */
function circuitOf(redis: RedisClient, config: CoordinatorConfig): DeliveryCircuit {
  const cooldownMs = config.webhookCircuitCooldownMs ?? DEFAULT_WEBHOOK_CIRCUIT_COOLDOWN_MS;
  return new DeliveryCircuit(redis, {
    threshold: config.webhookCircuitThreshold ?? DEFAULT_WEBHOOK_CIRCUIT_THRESHOLD,
    cooldownMs,
    cooldownMaxMs: cooldownMs * CIRCUIT_COOLDOWN_GROWTH,
    // A probe is one attempt: its deadline, plus time to record it.
    probeLeaseMs: (config.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS) + 2_000,
  });
}

/**
 * Webhooks: the endpoints API, the {@link EVENT_SINK} that turns events into deliveries, and the
 * worker that delivers them (Standard Webhooks) through each endpoint's circuit breaker, with a
 * retry schedule of more than a day, dead letters, retry and replay. Import this module to
 * publish events.
 */
@Module({
  imports: [BullModule.registerQueue({ name: WEBHOOK_DELIVERIES_QUEUE }), MonitorStoreModule],
  controllers: [WebhooksController, ChannelsController, PoliciesController],
  providers: [
    WebhooksRepository,
    WebhookSender,
    WebhookEventSink,
    { provide: EVENT_SINK, useExisting: WebhookEventSink },
    { provide: DeliveryCircuit, inject: [REDIS_COMMANDS, COORDINATOR_CONFIG], useFactory: circuitOf },
    WebhookDeliveries,
    { provide: WebhookDeliveryTally, useFactory: () => new WebhookDeliveryTally() },
    WebhookDeliveryProcessor,
    WebhooksService,
    ChannelsService,
    PoliciesRepository,
    PoliciesService,
    MailSender,
    DeliveryOrder,
  ],
  exports: [EVENT_SINK, WebhookDeliveryTally],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class WebhooksModule {}
