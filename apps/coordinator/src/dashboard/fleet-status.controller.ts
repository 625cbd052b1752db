import { MONITOR_ID_PATTERN, type FleetStatusView } from '@crosscheck/contract';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { schemaRef } from '../openapi/schema-ref';
import { FleetStatusReader } from './fleet-status.reader';

const statusQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(MONITOR_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  monitorId: z.string().regex(MONITOR_ID_PATTERN, 'must be a monitor id (mon_ + 20 base-32 characters)').optional(),
});

/** Every monitor's state in one request: what the dashboard's grid polls. */
@ApiTags('monitors')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/status')
export class FleetStatusController {
  constructor(@Inject(FleetStatusReader) private readonly reader: FleetStatusReader) {}

  @Get()
  @ApiOperation({
    summary: 'Monitors in creation order, a page at a time, each with its classification, open incident and the latest verdict of every region',
    description:
      "One request for a dashboard's grid instead of one `/v1/monitors/{id}/status` per monitor. Each region carries its main cause and the cache and bypass facts " +
      '(a `down_behind_cache` reading is a cached 200 served while the cache-bypassing request saw the origin fail); `/v1/monitors/{id}/status` has every cause with its evidence.',
  })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'monitorId', required: false, description: 'Only this monitor: a page of one, or empty when there is none' })
  @ApiResponse({ status: 200, schema: schemaRef('FleetStatus') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async status(@Query() query: unknown): Promise<FleetStatusView> {
    const { limit, cursor, monitorId } = parseQuery(statusQuery, query);
    return monitorId === undefined ? this.reader.page(limit, cursor) : this.reader.one(monitorId);
  }
}
