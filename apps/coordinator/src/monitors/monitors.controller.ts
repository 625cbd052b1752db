import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MONITOR_ID_PATTERN } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { schemaRef } from '../openapi/schema-ref';
import type { Monitor } from './monitor';
import type { MonitorPage } from './monitors.repository';
import { MonitorsService } from './monitors.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(MONITOR_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
});

const ID_PARAM = { name: 'id', example: 'mon_2b4kq7xa3dhv6mnpz2re', description: 'Monitor id (`mon_` + 20 base-32 characters)' };

/** CRUD of monitors. Validation errors answer 400 with every field at fault. */
@ApiTags('monitors')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/monitors')
export class MonitorsController {
  constructor(@Inject(MonitorsService) private readonly monitors: MonitorsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a monitor; its rounds start within one interval' })
  @ApiBody({ schema: schemaRef('MonitorInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the monitor', schema: schemaRef('Monitor') })
  @ApiResponse({ status: 400, description: 'Invalid monitor or malformed JSON', schema: schemaRef('Problem') })
  async create(@Body() body: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<Monitor> {
    const monitor = await this.monitors.create(body);
    response.setHeader('Location', `/v1/monitors/${monitor.id}`);
    return monitor;
  }

  @Get()
  @ApiOperation({ summary: 'List monitors in creation order, a page at a time' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiResponse({ status: 200, schema: schemaRef('MonitorPage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async list(@Query() query: unknown): Promise<MonitorPage> {
    const { limit, cursor } = parseQuery(listQuery, query);
    return this.monitors.list(limit, cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a monitor' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, schema: schemaRef('Monitor') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async get(@Param('id') id: string): Promise<Monitor> {
    return this.monitors.get(id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a monitor (same validation as create; left-out fields take their defaults)' })
  @ApiParam(ID_PARAM)
  @ApiBody({ schema: schemaRef('MonitorInput') })
  @ApiResponse({ status: 200, schema: schemaRef('Monitor') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async replace(@Param('id') id: string, @Body() body: unknown): Promise<Monitor> {
    return this.monitors.replace(id, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a monitor with a JSON Merge Patch (RFC 7396); the result is validated whole' })
  @ApiParam(ID_PARAM)
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiBody({ schema: schemaRef('MonitorPatch') })
  @ApiResponse({ status: 200, schema: schemaRef('Monitor') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async patch(@Param('id') id: string, @Body() body: unknown): Promise<Monitor> {
    return this.monitors.patch(id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a monitor: its schedule stops, its waiting checks are withdrawn, its open incident resolves (monitor_deleted)' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async delete(@Param('id') id: string): Promise<void> {
    await this.monitors.delete(id);
  }
}
