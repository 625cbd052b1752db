import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MAX_POLICIES, POLICY_ID_PATTERN, resourceKeySchema, type PolicyView } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { isDryRun } from '../http/dry-run';
import { parseIfMatch } from '../http/if-match';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { createdAnswer, tagged, taggedWrite } from '../http/revision-answers';
import { conditionalWrites } from '../openapi/conditional-writes';
import { schemaRef } from '../openapi/schema-ref';
import { PoliciesService, type PolicyWrite } from './policies.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(POLICY_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  key: resourceKeySchema.optional(),
});

const ID_PARAM = { name: 'id', example: 'pol_23ocd2bqb2n2g4vyifld', description: 'Policy id (`pol_` + 20 base-32 characters)' };
const { ifMatch: IF_MATCH, dryRun: DRY_RUN, etag: ETAG, stale: STALE } = conditionalWrites('policy');

/** Notification policies: which events go to which channels, and the reminders and escalation of unacknowledged incidents. */
@ApiTags('policies')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/policies')
export class PoliciesController {
  constructor(@Inject(PoliciesService) private readonly policies: PoliciesService) {}

  @Post()
  @ApiOperation({ summary: `Create a notification policy (at most ${MAX_POLICIES}; at most one default)` })
  @ApiQuery(DRY_RUN)
  @ApiBody({ schema: schemaRef('PolicyInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the policy', headers: ETAG, schema: schemaRef('Policy') })
  @ApiResponse({ status: 200, description: 'Dry run: what would be created', schema: schemaRef('PolicyDryRun') })
  @ApiResponse({ status: 400, description: 'Invalid body, or a channel id that names no channel', schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The key is taken, another policy is the default, or the coordinator holds as many policies as it keeps', schema: schemaRef('Problem') })
  async create(@Body() body: unknown, @Query() query: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<PolicyWrite> {
    return createdAnswer(response, await this.policies.create(body, { dryRun: isDryRun(query) }), '/v1/policies');
  }

  @Get()
  @ApiOperation({ summary: 'List policies in creation order, a page at a time' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiQuery({ name: 'key', required: false, description: 'Only the policy with this key: a page of one, or empty' })
  @ApiResponse({ status: 200, schema: schemaRef('PolicyPage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async list(@Query() query: unknown): Promise<{ items: PolicyView[]; nextCursor: string | null }> {
    const { limit, cursor, key } = parseQuery(listQuery, query);
    return this.policies.list(limit, cursor, key);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a policy' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, headers: ETAG, schema: schemaRef('Policy') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async get(@Param('id') id: string, @Res({ passthrough: true }) response: ServerResponse): Promise<PolicyView> {
    return tagged(response, await this.policies.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a policy with a JSON Merge Patch (RFC 7396) of it as written; the result is validated whole' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiQuery(DRY_RUN)
  @ApiConsumes('application/merge-patch+json', 'application/json')
  @ApiBody({ schema: schemaRef('PolicyInput') })
  @ApiResponse({ status: 200, description: 'Changed (or, as a dry run, what would change)', headers: ETAG, schema: schemaRef('PolicyWrite') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Query() query: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<PolicyWrite> {
    return taggedWrite(response, await this.policies.patch(id, body, { ifMatch: parseIfMatch(ifMatch), dryRun: isDryRun(query) }));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a policy' })
  @ApiParam(ID_PARAM)
  @ApiHeader(IF_MATCH)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse(STALE)
  async delete(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined): Promise<void> {
    await this.policies.delete(id, parseIfMatch(ifMatch));
  }
}
