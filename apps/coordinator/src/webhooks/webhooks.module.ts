import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EVENT_SINK } from '../events/event-sink';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WEBHOOK_DELIVERIES_QUEUE } from './webhook-delivery-job';
import { WebhookEventSink } from './webhook-event-sink';
import { WebhookSender } from './webhook-sender';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Webhooks: the endpoints API, the {@link EVENT_SINK} that turns events into deliveries, and the
 * worker that delivers them (Standard Webhooks). Import this module to publish events.
 */
@Module({
  imports: [BullModule.registerQueue({ name: WEBHOOK_DELIVERIES_QUEUE })],
  controllers: [WebhooksController],
  providers: [
    WebhooksRepository,
    WebhookSender,
    WebhookEventSink,
    { provide: EVENT_SINK, useExisting: WebhookEventSink },
    WebhookDeliveryProcessor,
    WebhooksService,
  ],
  exports: [EVENT_SINK],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class WebhooksModule {}
