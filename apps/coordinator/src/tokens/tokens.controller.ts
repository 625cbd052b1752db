import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { RequireScope } from '../auth/scope.decorator';
import { parseQuery } from '../http/parse-query';
import { limitParameter } from '../http/query-values';
import { TOKEN_ID_PATTERN, type ApiToken, type CreatedApiToken } from './api-token';
import { schemaRef as tokenSchemaRef } from '../openapi/schema-ref';
import type { TokenPage } from './tokens.repository';
import { TokensService } from './tokens.service';

const listQuery = z.object({
  limit: limitParameter(50, 200),
  cursor: z.string().regex(TOKEN_ID_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
});

const ID_PARAM = { name: 'id', example: 'tok_23ocd2bqb2n2g4vyifld', description: 'Token id (`tok_` + 20 base-32 characters)' };

/** API tokens: made, listed and revoked by admins only (the bootstrap `API_TOKEN` is one). */
@ApiTags('tokens')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing, wrong or revoked bearer token', schema: tokenSchemaRef('Problem') })
@ApiResponse({ status: 403, description: 'The token lacks the `admin` scope', schema: tokenSchemaRef('Problem') })
@RequireScope('admin')
@Controller('v1/tokens')
export class TokensController {
  constructor(@Inject(TokensService) private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({ summary: 'Create a token of a scope; the answer carries the token, shown this once' })
  @ApiBody({ schema: tokenSchemaRef('TokenInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the token', schema: tokenSchemaRef('CreatedToken') })
  @ApiResponse({ status: 400, description: 'Invalid body', schema: tokenSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'As many tokens as may exist already exist', schema: tokenSchemaRef('Problem') })
  async create(@Body() body: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<CreatedApiToken> {
    const created = await this.tokens.create(body);
    response.setHeader('Location', `/v1/tokens/${created.id}`);
    // The token is in this body: no cache may keep it.
    response.setHeader('Cache-Control', 'no-store');
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'List tokens in creation order, a page at a time (never the token or its hash)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiResponse({ status: 200, schema: tokenSchemaRef('TokenPage') })
  @ApiResponse({ status: 400, schema: tokenSchemaRef('Problem') })
  async list(@Query() query: unknown): Promise<TokenPage> {
    const { limit, cursor } = parseQuery(listQuery, query);
    return this.tokens.list(limit, cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a token (never the token or its hash)' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, schema: tokenSchemaRef('Token') })
  @ApiResponse({ status: 404, schema: tokenSchemaRef('Problem') })
  async get(@Param('id') id: string): Promise<ApiToken> {
    return this.tokens.get(id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a token: refused (401) from the next request on this coordinator, within 5 s on the others' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiResponse({ status: 404, schema: tokenSchemaRef('Problem') })
  async revoke(@Param('id') id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
