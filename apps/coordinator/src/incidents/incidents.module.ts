import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { IncidentStoreModule } from './incident-store.module';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { OutboxRelay } from './outbox-relay.service';

/**
 * The incidents API and the outbox relay, which hands committed events to the `EVENT_SINK` of the
 * webhooks module.
 */
@Module({
  imports: [IncidentStoreModule, WebhooksModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, OutboxRelay],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class IncidentsModule {}
