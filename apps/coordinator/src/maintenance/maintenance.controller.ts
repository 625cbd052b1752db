import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MAX_MAINTENANCE_MONITORS, MAX_MAINTENANCE_WINDOWS, MONITOR_ID_PATTERN, resourceKeySchema, type MaintenancePageView, type MaintenanceView } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { isDryRun } from '../http/dry-run';
import { parseIfMatch } from '../http/if-match';
import { createdAnswer, tagged, taggedWrite } from '../http/revision-answers';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { conditionalWrites } from '../openapi/conditional-writes';
import { schemaRef } from '../openapi/schema-ref';
import { MAINTENANCE_ID_PATTERN } from './maintenance-id';
import { MaintenanceService, type MaintenanceWrite } from './maintenance.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(MAINTENANCE_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  key: resourceKeySchema.optional(),
  active: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true').optional(),
  monitorId: z.string().regex(MONITOR_ID_PATTERN, 'must be a monitor id (mon_ + 20 characters of a-z and 2-7)').optional(),
});

const ID_PARAM = { name: 'id', example: 'mw_23ocd2bqb2n2g4vyifld', description: 'Maintenance window id (`mw_` + 20 base-32 characters)' };
const { ifMatch: IF_MATCH, dryRun: DRY_RUN, etag: ETAG, stale: STALE } = conditionalWrites('maintenance window');

/**
 * CRUD of maintenance windows. During a window its monitors' rounds still run and are recorded
 * (as maintenance in the uptime history), but no incident opens and nothing pages. Every window
 * answered carries its revision as `ETag`; writes take `If-Match` and, but DELETE, `?dryRun=true`.
 */
@ApiTags('maintenance')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/maintenance')
export class MaintenanceController {
  constructor(@Inject(MaintenanceService) private readonly maintenance: MaintenanceService) {}

  @Post()
  @ApiOperation({
    summary: `Create a maintenance window: one-off, ad hoc (from now for \`durationMinutes\`) or recurring (\`rrule\`, \`cron\`); at most ${MAX_MAINTENANCE_MONITORS} monitors a window, ${MAX_MAINTENANCE_WINDOWS} windows`,
  })
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('MaintenanceInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the window', headers: ETAG, schema: schemaRef('Maintenance') })
  @ApiResponse({ status: 200, description: 'Dry run: what would be created (every field listed as a change)', schema: schemaRef('MaintenanceDryRun') })
  @ApiResponse({ status: 400, description: 'Invalid body, or a monitor id that names no monitor', schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The key is taken, or the coordinator holds as many windows as it keeps', schema: schemaRef('Problem') })
  async create(@Body() body: unknown, @Query() query: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<MaintenanceWrite> {
    const written = await this.maintenance.create(body, { dryRun: isDryRun(query) });
    return createdAnswer(response, written, '/v1/maintenance');
  }

  @Get()
  @ApiOperation({ summary: 'List maintenance windows in creation order, a page at a time' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'key', required: false, description: 'Only the window with this key (one without a key is found by its id)' })
  @ApiQuery({ name: 'active', required: false, schema: { type: 'string', enum: ['true', 'false'] }, description: 'Only windows in effect now (`true`) or not (`false`)' })
  @ApiQuery({ name: 'monitorId', required: false, description: 'Only windows that name this monitor' })
  @ApiResponse({ status: 200, schema: schemaRef('MaintenancePage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async list(@Query() query: unknown): Promise<MaintenancePageView> {
    const { limit, cursor, key, active, monitorId } = parseQuery(listQuery, query);
    return this.maintenance.list({ limit, ...(cursor !== undefined ? { cursor } : {}), ...(key !== undefined ? { key } : {}), ...(active !== undefined ? { active } : {}), ...(monitorId !== undefined ? { monitorId } : {}) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a maintenance window, with its occurrence in effect now and the next one' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, headers: ETAG, schema: schemaRef('Maintenance') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async get(@Param('id') id: string, @Res({ passthrough: true }) response: ServerResponse): Promise<MaintenanceView> {
    return tagged(response, await this.maintenance.get(id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a maintenance window (same validation as create; the key cannot change; a `startsAt` left out is now)' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('MaintenanceInput') })
  @ApiResponse({ status: 200, description: 'Replaced (or, as a dry run, `MaintenanceDryRun`)', headers: ETAG, schema: schemaRef('MaintenanceWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async replace(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<MaintenanceWrite> {
    return taggedWrite(response, await this.maintenance.replace(id, body, { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) }));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a maintenance window with a JSON Merge Patch (RFC 7396) of its settings (end it early: `{"endsAt": "<now>"}`); the result is validated whole' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiBody({ schema: schemaRef('MaintenancePatch') })
  @ApiResponse({ status: 200, description: 'Changed (or, as a dry run, `MaintenanceDryRun`)', headers: ETAG, schema: schemaRef('MaintenanceWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<MaintenanceWrite> {
    return taggedWrite(response, await this.maintenance.patch(id, body, { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) }));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a maintenance window: its monitors page again from their next round' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async delete(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.maintenance.delete(id, parseIfMatch(ifMatch));
  }
}
