import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CHANNEL_TYPES, resourceKeySchema, type ChannelView } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { isDryRun, type DryRun } from '../http/dry-run';
import { parseIfMatch } from '../http/if-match';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { createdAnswer, tagged, taggedWrite } from '../http/revision-answers';
import { conditionalWrites } from '../openapi/conditional-writes';
import { schemaRef } from '../openapi/schema-ref';
import { RequireScope } from '../auth/scope.decorator';
import type { ReplayResult } from '../webhooks/webhook-deliveries.service';
import type { Delivery, DeliveryLogEntry } from '../webhooks/webhook-delivery';
import type { TestDelivery } from '../webhooks/webhook-event-sink';
import { WEBHOOK_ID_PATTERN } from '../webhooks/webhook-id';
import { DELIVERY_HISTORY_MAX } from '../webhooks/webhooks.repository';
import { ChannelsService, type ChannelWrite, type CreatedChannel } from './channels.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(WEBHOOK_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  key: resourceKeySchema.optional(),
  type: z.enum(CHANNEL_TYPES, { error: `must be one of ${CHANNEL_TYPES.join(', ')}` }).optional(),
});
const deliveriesQuery = z.object({ limit: limitParameter(50, DELIVERY_HISTORY_MAX) });
const ID_PARAM = { name: 'id', example: 'ch_23ocd2bqb2n2g4vyifld', description: 'Channel id (`ch_` or, for a webhook made through /v1/webhooks, `wh_` + 20 base-32 characters)' };
const DELIVERY_PARAM = { name: 'deliveryId', description: 'Delivery id (`<eventId>-<channelId>`), as the delivery log shows it' };
const { ifMatch: IF_MATCH, dryRun: DRY_RUN, etag: ETAG, stale: STALE } = conditionalWrites('channel');

/**
 * Notification channels (PagerDuty, Slack, Teams, email, webhooks): every one delivered through the
 * same durable queue, with its delivery log, test, retry and replay.
 */
@ApiTags('channels')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/channels')
export class ChannelsController {
  constructor(@Inject(ChannelsService) private readonly channels: ChannelsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a channel; its secrets are sealed and never shown again (a webhook channel\'s signing secret is in this answer only)' })
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('ChannelInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the channel', headers: ETAG, schema: schemaRef('CreatedChannel') })
  @ApiResponse({ status: 200, description: 'Dry run: what would be created', schema: schemaRef('ChannelDryRun') })
  @ApiResponse({ status: 400, description: 'Invalid body', schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The key is taken', schema: schemaRef('Problem') })
  async create(@Body() body: unknown, @Query() query: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<CreatedChannel | DryRun<ChannelView>> {
    const created = await this.channels.create(body, { dryRun: isDryRun(query) });
    if (!('dryRun' in created)) response.setHeader('Cache-Control', 'no-store');
    return createdAnswer(response, created, '/v1/channels');
  }

  @Get()
  @ApiOperation({ summary: 'List channels, a page at a time (secrets are never shown)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'key', required: false, description: 'Only the channel with this key: a page of one, or empty' })
  @ApiQuery({ name: 'type', required: false, schema: { type: 'string', enum: [...CHANNEL_TYPES] } })
  @ApiResponse({ status: 200, schema: schemaRef('ChannelPage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async list(@Query() query: unknown): Promise<{ items: ChannelView[]; nextCursor: string | null }> {
    const { limit, cursor, key, type } = parseQuery(listQuery, query);
    return this.channels.list(limit, cursor, key, type);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a channel' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, headers: ETAG, schema: schemaRef('Channel') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async get(@Param('id') id: string, @Res({ passthrough: true }) response: ServerResponse): Promise<ChannelView> {
    return tagged(response, await this.channels.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a channel: the fields given (a secret left out is kept); `enabled: true` re-enables a disabled one' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('ChannelPatch') })
  @ApiResponse({ status: 200, headers: ETAG, schema: schemaRef('ChannelWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<ChannelWrite> {
    return taggedWrite(response, await this.channels.patch(id, body, { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) }));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a channel (deliveries still queued for it end unsent)' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async delete(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.channels.delete(id, parseIfMatch(ifMatch));
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a test message, in the channel\'s own form, through the same queue and retries as every event' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 202, schema: schemaRef('WebhookTestDelivery') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The channel is disabled', schema: schemaRef('Problem') })
  async test(@Param('id') id: string): Promise<TestDelivery> {
    return this.channels.test(id);
  }

  @Post(':id/preview')
  // Nothing is sent or stored: a read token may look.
  @RequireScope('read')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'What the channel would be sent for a sample event (a masked outage unless `event` says otherwise); nothing is sent' })
  @ApiParam(ID_PARAM)
  @ApiBody({ schema: schemaRef('ChannelPreviewInput'), required: false })
  @ApiResponse({ status: 200, schema: schemaRef('ChannelPreview') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async preview(@Param('id') id: string, @Body() body: unknown): Promise<{ type: string; event: string; payload: unknown }> {
    return this.channels.preview(id, body);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: `The channel's delivery log, newest first (the newest ${DELIVERY_HISTORY_MAX} are kept)` })
  @ApiParam(ID_PARAM)
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: DELIVERY_HISTORY_MAX, default: 50 } })
  @ApiResponse({ status: 200, schema: schemaRef('WebhookDeliveryPage') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async deliveries(@Param('id') id: string, @Query() query: unknown): Promise<{ items: DeliveryLogEntry[] }> {
    const { limit } = parseQuery(deliveriesQuery, query);
    return this.channels.deliveries(id, limit);
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery as it stands in the queue' })
  @ApiParam(ID_PARAM)
  @ApiParam(DELIVERY_PARAM)
  @ApiResponse({ status: 200, schema: schemaRef('WebhookDelivery') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async delivery(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<Delivery> {
    return this.channels.delivery(id, deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send one delivery again now, with a fresh schedule' })
  @ApiParam(ID_PARAM)
  @ApiParam(DELIVERY_PARAM)
  @ApiResponse({ status: 202, schema: schemaRef('WebhookDelivery') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, schema: schemaRef('Problem') })
  async retry(@Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<Delivery> {
    return this.channels.retryDelivery(id, deliveryId);
  }

  @Post(':id/replay')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send again every dead letter of the channel queued in [since, until]' })
  @ApiParam(ID_PARAM)
  @ApiBody({ schema: schemaRef('WebhookReplayInput') })
  @ApiResponse({ status: 202, schema: schemaRef('WebhookReplay') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, schema: schemaRef('Problem') })
  async replay(@Param('id') id: string, @Body() body: unknown): Promise<ReplayResult> {
    return this.channels.replay(id, body);
  }
}
