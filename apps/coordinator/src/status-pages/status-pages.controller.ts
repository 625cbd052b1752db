import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MAX_STATUS_PAGE_MONITORS, MAX_STATUS_PAGES, resourceKeySchema, type StatusPagePageView, type StatusPageView } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { isDryRun } from '../http/dry-run';
import { parseIfMatch } from '../http/if-match';
import { createdAnswer, tagged, taggedWrite } from '../http/revision-answers';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { conditionalWrites } from '../openapi/conditional-writes';
import { schemaRef } from '../openapi/schema-ref';
import { STATUS_PAGE_ID_PATTERN } from './status-page-id';
import { StatusPagesService, type StatusPageWrite } from './status-pages.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(STATUS_PAGE_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  key: resourceKeySchema.optional(),
});

const ID_PARAM = { name: 'id', example: 'sp_23ocd2bqb2n2g4vyifld', description: 'Status page id (`sp_` + 20 base-32 characters)' };
const { ifMatch: IF_MATCH, dryRun: DRY_RUN, etag: ETAG, stale: STALE } = conditionalWrites('status page');

/**
 * CRUD of status pages (the public pages themselves are `/status/{slug}`). Every page answered
 * carries its revision as `ETag`; writes take `If-Match` and, but DELETE, `?dryRun=true`.
 */
@ApiTags('status pages')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/status-pages')
export class StatusPagesController {
  constructor(@Inject(StatusPagesService) private readonly pages: StatusPagesService) {}

  @Post()
  @ApiOperation({ summary: `Create a status page, public at once at /status/{slug} (at most ${MAX_STATUS_PAGE_MONITORS} monitors a page, ${MAX_STATUS_PAGES} pages)` })
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('StatusPageInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the page', headers: ETAG, schema: schemaRef('StatusPage') })
  @ApiResponse({ status: 200, description: 'Dry run: what would be created (every field listed as a change)', schema: schemaRef('StatusPageDryRun') })
  @ApiResponse({ status: 400, description: 'Invalid body, or a monitor id that names no monitor', schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The slug or the key is taken by another page, or the coordinator holds as many pages as it keeps', schema: schemaRef('Problem') })
  async create(@Body() body: unknown, @Query() query: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<StatusPageWrite> {
    const written = await this.pages.create(body, { dryRun: isDryRun(query) });
    return createdAnswer(response, written, '/v1/status-pages');
  }

  @Get()
  @ApiOperation({ summary: 'List status pages in creation order, a page at a time' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'key', required: false, description: 'Only the status page with this key (one without a key is found by its id): a page of one, or empty' })
  @ApiResponse({ status: 200, schema: schemaRef('StatusPagePage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async list(@Query() query: unknown): Promise<StatusPagePageView> {
    const { limit, cursor, key } = parseQuery(listQuery, query);
    return this.pages.list(limit, cursor, key);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a status page' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, headers: ETAG, schema: schemaRef('StatusPage') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async get(@Param('id') id: string, @Res({ passthrough: true }) response: ServerResponse): Promise<StatusPageView> {
    return tagged(response, await this.pages.get(id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a status page (same validation as create; a description left out is none; the key cannot change)' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('StatusPageInput') })
  @ApiResponse({ status: 200, description: 'Replaced (or, as a dry run, `StatusPageDryRun`: what would change)', headers: ETAG, schema: schemaRef('StatusPageWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The slug is taken by another page', schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async replace(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<StatusPageWrite> {
    return taggedWrite(response, await this.pages.replace(id, body, { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) }));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a status page with a JSON Merge Patch (RFC 7396) of `{slug, title, description, monitorIds}`; the result is validated whole' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiBody({ schema: schemaRef('StatusPagePatch') })
  @ApiResponse({ status: 200, description: 'Changed (or, as a dry run, `StatusPageDryRun`: what would change)', headers: ETAG, schema: schemaRef('StatusPageWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The slug is taken by another page', schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<StatusPageWrite> {
    return taggedWrite(response, await this.pages.patch(id, body, { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) }));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a status page: /status/{slug} answers 404 from then on, and its slug and key are free again' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async delete(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.pages.delete(id, parseIfMatch(ifMatch));
  }
}
