import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { resourceKeySchema } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { isDryRun, type DryRun } from '../http/dry-run';
import { etagOf, parseIfMatch } from '../http/if-match';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import type { ReplayResult } from './webhook-deliveries.service';
import type { Delivery, DeliveryLogEntry } from './webhook-delivery';
import type { CreatedWebhookEndpoint, RotatedSecret, WebhookEndpoint } from './webhook-endpoint';
import type { TestDelivery } from './webhook-event-sink';
import { WEBHOOK_ID_PATTERN } from './webhook-id';
import { conditionalWrites } from '../openapi/conditional-writes';
import { schemaRef as webhookSchemaRef } from '../openapi/schema-ref';
import { DELIVERY_HISTORY_MAX, type WebhookPage } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(WEBHOOK_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  key: resourceKeySchema.optional(),
});

const { ifMatch: IF_MATCH, dryRun: DRY_RUN, etag: ETAG, stale: STALE } = conditionalWrites('endpoint');

const deliveriesQuery = z.object({ limit: limitParameter(50, DELIVERY_HISTORY_MAX) });

const ID_PARAM = { name: 'id', example: 'wh_23ocd2bqb2n2g4vyifld', description: 'Webhook id (`wh_` + 20 base-32 characters)' };
const DELIVERY_ID_PARAM = {
  name: 'deliveryId',
  example: 'evt_mon_23ocd2bqb2n2g4vyifld_1795598126128_incident.opened-wh_23ocd2bqb2n2g4vyifld',
  description: 'Delivery id (`<eventId>-<webhookId>`), as the delivery log shows it',
};

/** Webhook endpoints, their test deliveries, their delivery log, and sending deliveries again. */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: webhookSchemaRef('Problem') })
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint; the answer carries its signing secret, shown this once' })
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: webhookSchemaRef('WebhookInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the endpoint', headers: ETAG, schema: webhookSchemaRef('CreatedWebhook') })
  @ApiResponse({ status: 200, description: 'Dry run: what would be created (no secret is made)', schema: webhookSchemaRef('WebhookDryRun') })
  @ApiResponse({ status: 400, description: 'Invalid body', schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The key is taken by another endpoint', schema: webhookSchemaRef('Problem') })
  async create(
    @Body() body: unknown,
    @Query() query: unknown,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CreatedWebhookEndpoint | DryRun<WebhookEndpoint>> {
    const created = await this.webhooks.create(body, { dryRun: isDryRun(query) });
    if ('dryRun' in created) {
      response.statusCode = HttpStatus.OK;
      return created;
    }
    response.setHeader('Location', `/v1/webhooks/${created.id}`);
    // The secret is in this body: no cache may keep it.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('ETag', etagOf(created.revision));
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'List endpoints in creation order, a page at a time (secrets are never shown)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'key', required: false, description: 'Only the endpoint with this key (one without a key is found by its id): a page of one, or empty' })
  @ApiResponse({ status: 200, schema: webhookSchemaRef('WebhookPage') })
  @ApiResponse({ status: 400, schema: webhookSchemaRef('Problem') })
  async list(@Query() query: unknown): Promise<WebhookPage> {
    const { limit, cursor, key } = parseQuery(listQuery, query);
    return this.webhooks.list(limit, cursor, key);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read an endpoint' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, headers: ETAG, schema: webhookSchemaRef('Webhook') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  async get(@Param('id') id: string, @Res({ passthrough: true }) response: ServerResponse): Promise<WebhookEndpoint> {
    const endpoint = await this.webhooks.get(id);
    response.setHeader('ETag', etagOf(endpoint.revision));
    return endpoint;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change an endpoint: url, events, description, or enabled (re-enable a disabled endpoint); a configuration file sends them all. The key cannot change',
  })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: webhookSchemaRef('WebhookPatch') })
  @ApiResponse({ status: 200, description: 'Changed (or, as a dry run, `WebhookDryRun`: what would change)', headers: ETAG, schema: webhookSchemaRef('WebhookWrite') })
  @ApiResponse({ status: 400, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  @ApiResponse(STALE)
  async patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<WebhookEndpoint | DryRun<WebhookEndpoint>> {
    const written = await this.webhooks.patch(id, body, { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) });
    // A dry run answers no ETag: nothing was stored at the revision it shows.
    if (!('dryRun' in written)) response.setHeader('ETag', etagOf(written.revision));
    return written;
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery history; deliveries still queued for it are dropped' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 412, description: 'If-Match is stale: nothing was deleted', schema: webhookSchemaRef('Problem') })
  async delete(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.webhooks.delete(id, parseIfMatch(ifMatch));
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Queue a `webhook.test` event to this endpoint (whatever it subscribes to), signed and retried like any event' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 202, schema: webhookSchemaRef('WebhookTestDelivery') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The endpoint is disabled', schema: webhookSchemaRef('Problem') })
  async test(@Param('id') id: string): Promise<TestDelivery> {
    return this.webhooks.test(id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Replace the signing secret; the new one is shown this once. The old one also signs during the overlap (default 24 h)',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ required: false, schema: webhookSchemaRef('WebhookSecretRotationInput') })
  @ApiResponse({ status: 200, schema: webhookSchemaRef('WebhookSecretRotation') })
  @ApiResponse({ status: 400, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  async rotateSecret(@Param('id') id: string, @Body() body: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<RotatedSecret> {
    const rotated = await this.webhooks.rotateSecret(id, body);
    response.setHeader('Cache-Control', 'no-store');
    return rotated;
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send again every dead letter of this endpoint queued in [since, until], with their original webhook-ids' })
  @ApiParam(ID_PARAM)
  @ApiBody({ schema: webhookSchemaRef('WebhookReplayInput') })
  @ApiResponse({ status: 202, schema: webhookSchemaRef('WebhookReplay') })
  @ApiResponse({ status: 400, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The endpoint is disabled', schema: webhookSchemaRef('Problem') })
  async replay(@Param('id') id: string, @Body() body: unknown): Promise<ReplayResult> {
    return this.webhooks.replay(id, body);
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery as it stands: pending, scheduled, sending, delivered or dead (a dead letter)' })
  @ApiParam(ID_PARAM)
  @ApiParam(DELIVERY_ID_PARAM)
  @ApiResponse({ status: 200, schema: webhookSchemaRef('WebhookDelivery') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  async delivery(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<Delivery> {
    return this.webhooks.delivery(id, deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a delivery again now (a dead letter, or a delivered one), with the same webhook-id and body and a fresh schedule' })
  @ApiParam(ID_PARAM)
  @ApiParam(DELIVERY_ID_PARAM)
  @ApiResponse({ status: 202, schema: webhookSchemaRef('WebhookDelivery') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The endpoint is disabled, or an attempt of this delivery is under way', schema: webhookSchemaRef('Problem') })
  async retry(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<Delivery> {
    return this.webhooks.retryDelivery(id, deliveryId);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: `This endpoint's delivery log, newest first: every attempt, and the endpoint's changes of state (the newest ${DELIVERY_HISTORY_MAX} are kept)` })
  @ApiParam(ID_PARAM)
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: DELIVERY_HISTORY_MAX, default: 50 } })
  @ApiResponse({ status: 200, schema: webhookSchemaRef('WebhookDeliveryPage') })
  @ApiResponse({ status: 400, schema: webhookSchemaRef('Problem') })
  @ApiResponse({ status: 404, schema: webhookSchemaRef('Problem') })
  async deliveries(@Param('id') id: string, @Query() query: unknown): Promise<{ items: DeliveryLogEntry[] }> {
    const { limit } = parseQuery(deliveriesQuery, query);
    return this.webhooks.deliveries(id, limit);
  }
}
