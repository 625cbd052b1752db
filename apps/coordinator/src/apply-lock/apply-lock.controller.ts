import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ApplyLockGrant, ApplyLockStatus } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { schemaRef } from '../openapi/schema-ref';
import { ApplyLockService } from './apply-lock.service';

const TOKEN_PARAM = { name: 'token', description: 'The token `POST /v1/apply-lock` answered' };

/**
 * `/v1/apply-lock`: the lock `crosscheck apply` holds while it writes (write scope to take it,
 * read to see who holds it).
 */
@ApiTags('apply-lock')
@ApiBearerAuth()
@Controller('v1/apply-lock')
export class ApplyLockController {
  constructor(@Inject(ApplyLockService) private readonly locks: ApplyLockService) {}

  @Post()
  @ApiOperation({ summary: 'Take the configuration apply lock for `ttlSeconds` (default 120); 409 naming its holder when it is held' })
  @ApiBody({ schema: schemaRef('ApplyLockInput') })
  @ApiResponse({ status: 201, description: 'Taken; keep the token to renew and release it', schema: schemaRef('ApplyLockGrant') })
  @ApiResponse({ status: 400, description: 'Invalid holder or ttlSeconds', schema: schemaRef('Problem') })
  @ApiResponse({
    status: 409,
    description: 'Someone holds it: the problem\'s extension member `lock` names the holder, since when and until when (`{holder, acquiredAt, expiresAt}`)',
    schema: schemaRef('Problem'),
  })
  async acquire(@Body() body: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<ApplyLockGrant> {
    const grant = await this.locks.acquire(body);
    response.setHeader('Cache-Control', 'no-store');
    return grant;
  }

  @Get()
  @ApiOperation({ summary: 'Whether the apply lock is held, by whom and until when (never its token)' })
  @ApiResponse({ status: 200, description: 'The lock', schema: schemaRef('ApplyLockStatus') })
  async status(): Promise<ApplyLockStatus> {
    return this.locks.status();
  }

  @Put(':token')
  @ApiOperation({ summary: 'Renew the lease of the lock this token holds' })
  @ApiParam(TOKEN_PARAM)
  @ApiBody({ schema: schemaRef('ApplyLockRenewal'), required: false })
  @ApiResponse({ status: 200, description: 'Renewed', schema: schemaRef('ApplyLockGrant') })
  @ApiResponse({ status: 400, description: 'Invalid ttlSeconds', schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The token holds the lock no more (its lease expired, or it was released)', schema: schemaRef('Problem') })
  async renew(@Param('token') token: string, @Body() body: unknown): Promise<ApplyLockGrant> {
    return this.locks.renew(token, body);
  }

  @Delete(':token')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Release the lock this token holds' })
  @ApiParam(TOKEN_PARAM)
  @ApiResponse({ status: 204, description: 'Released' })
  @ApiResponse({ status: 404, description: 'The token holds no lock (released, or its lease expired)', schema: schemaRef('Problem') })
  async release(@Param('token') token: string): Promise<void> {
    await this.locks.release(token);
  }
}
