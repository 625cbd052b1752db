import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MONITOR_ID_PATTERN, resourceKeySchema } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { isDryRun } from '../http/dry-run';
import { parseIfMatch } from '../http/if-match';
import { createdAnswer, tagged, taggedWrite } from '../http/revision-answers';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { conditionalWrites } from '../openapi/conditional-writes';
import { schemaRef } from '../openapi/schema-ref';
import type { PresentedMonitor } from './monitor';
import type { MonitorPage } from './monitors.repository';
import { MonitorsService, type MonitorWrite } from './monitors.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(MONITOR_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  key: resourceKeySchema.optional(),
});

const ID_PARAM = { name: 'id', example: 'mon_2b4kq7xa3dhv6mnpz2re', description: 'Monitor id (`mon_` + 20 base-32 characters)' };
const { ifMatch: IF_MATCH, dryRun: DRY_RUN, etag: ETAG, stale: STALE } = conditionalWrites('monitor');

/**
 * CRUD of monitors. Validation errors answer 400 with every field at fault. Every monitor
 * answered carries its revision as `ETag`; writes take `If-Match` and, but DELETE, `?dryRun=true`.
 */
@ApiTags('monitors')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/monitors')
export class MonitorsController {
  constructor(@Inject(MonitorsService) private readonly monitors: MonitorsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a monitor; its rounds start within one interval' })
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('MonitorInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the monitor', headers: ETAG, schema: schemaRef('Monitor') })
  @ApiResponse({ status: 200, description: 'Dry run: what would be created (every field listed as a change)', schema: schemaRef('MonitorDryRun') })
  @ApiResponse({ status: 400, description: 'Invalid monitor or malformed JSON', schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The key is taken by another monitor, or the region registry is full', schema: schemaRef('Problem') })
  async create(@Body() body: unknown, @Query() query: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<MonitorWrite> {
    const dryRun = isDryRun(query);
    const written = await this.monitors.create(body, { dryRun });
    return createdAnswer(response, written, '/v1/monitors');
  }

  @Get()
  @ApiOperation({ summary: 'List monitors in creation order, a page at a time' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'key', required: false, description: 'Only the monitor with this key (a monitor without one is found by its id): a page of one, or empty' })
  @ApiResponse({ status: 200, schema: schemaRef('MonitorPage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async list(@Query() query: unknown): Promise<MonitorPage> {
    const { limit, cursor, key } = parseQuery(listQuery, query);
    return this.monitors.list(limit, cursor, key);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a monitor' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, headers: ETAG, schema: schemaRef('Monitor') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async get(@Param('id') id: string, @Res({ passthrough: true }) response: ServerResponse): Promise<PresentedMonitor> {
    return tagged(response, await this.monitors.get(id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a monitor (same validation as create; left-out fields take their defaults; the key cannot change)' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('MonitorInput') })
  @ApiResponse({ status: 200, description: 'Replaced (or, as a dry run, `MonitorDryRun`: what would change)', headers: ETAG, schema: schemaRef('MonitorWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async replace(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<MonitorWrite> {
    const options = { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) };
    return taggedWrite(response, await this.monitors.replace(id, body, options));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a monitor with a JSON Merge Patch (RFC 7396); the result is validated whole' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiBody({ schema: schemaRef('MonitorPatch') })
  @ApiResponse({ status: 200, description: 'Changed (or, as a dry run, `MonitorDryRun`: what would change)', headers: ETAG, schema: schemaRef('MonitorWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<MonitorWrite> {
    const options = { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) };
    return taggedWrite(response, await this.monitors.patch(id, body, options));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a monitor: its schedule stops, its waiting checks are withdrawn, its open incident resolves (monitor_deleted)' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async delete(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.monitors.delete(id, parseIfMatch(ifMatch));
  }
}
