import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { RegionAgentCredentials, RegionCredentialsRotation } from '@crosscheck/contract';
import type { ServerResponse } from 'node:http';
import { RequireScope } from '../auth/scope.decorator';
import type { RegionList, RegionView } from './region';
import { schemaRef as regionSchemaRef } from '../openapi/schema-ref';
import { RegionsService } from './regions.service';

const NAME_PARAM = { name: 'name', example: 'eu-west', description: 'Region name: 1-32 of `a-z`, `0-9` and `-`, starting with a letter or digit' };

/**
 * The region registry. Regions exist because a monitor names them or an operator creates them, up
 * to `MAX_REGIONS`; creating and deleting one, and issuing its agents' Redis credentials, takes an
 * `admin` token. Answers that carry credentials are `Cache-Control: no-store`.
 */
@ApiTags('regions')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: regionSchemaRef('Problem') })
@Controller('v1/regions')
export class RegionsController {
  constructor(@Inject(RegionsService) private readonly regions: RegionsService) {}

  @Post()
  @RequireScope('admin')
  @ApiOperation({
    summary: 'Register a region (201); one the monitors brought is kept by the operator from now on (200)',
    description:
      'Unless `credentials` is false, also creates the Redis ACL user of its agents (`agent-<name>`, on every Redis node) with a new password, and answers, this once, with `agent`: the environment to start its agents with. When the coordinator may not manage ACL users (`REGION_ACL=manual`, or `NOPERM`), `agent.managed` is false and `agent.aclSetuser` is the command to run by hand on every node.',
  })
  @ApiBody({ schema: regionSchemaRef('RegionInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the region', schema: regionSchemaRef('RegionCreated') })
  @ApiResponse({ status: 200, description: 'It existed (named by monitors); an operator keeps it now (and its agents get credentials)', schema: regionSchemaRef('RegionCreated') })
  @ApiResponse({ status: 400, description: 'Invalid name or unknown field', schema: regionSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'An operator created it already, or the registry holds MAX_REGIONS regions', schema: regionSchemaRef('Problem') })
  async create(@Body() body: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<RegionView & { agent?: RegionAgentCredentials }> {
    const { region, created, agent } = await this.regions.create(body);
    response.statusCode = created ? HttpStatus.CREATED : HttpStatus.OK;
    response.setHeader('Location', `/v1/regions/${region.name}`);
    if (agent === undefined) return region;
    response.setHeader('Cache-Control', 'no-store');
    return { ...region, agent };
  }

  @Post(':name/rotate-credentials')
  @RequireScope('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'New Redis credentials for a region’s agents; the old password stops working at once',
    description:
      'Resets the password of `agent-<name>` on every Redis node and closes the connections made with the old one; restart the region’s agents with the new `agent.env`. A region the monitors brought is kept by the operator from now on.',
  })
  @ApiParam(NAME_PARAM)
  @ApiResponse({ status: 200, description: 'The new credentials, shown this once', schema: regionSchemaRef('RegionCredentialsRotation') })
  @ApiResponse({ status: 404, schema: regionSchemaRef('Problem') })
  async rotateCredentials(@Param('name') name: string, @Res({ passthrough: true }) response: ServerResponse): Promise<RegionCredentialsRotation> {
    const rotation = await this.regions.rotateCredentials(name);
    response.setHeader('Cache-Control', 'no-store');
    return rotation;
  }

  @Get()
  @ApiOperation({ summary: 'Every region of the registry, by name, with its monitors and live agents' })
  @ApiResponse({ status: 200, schema: regionSchemaRef('RegionList') })
  async list(): Promise<RegionList> {
    return this.regions.list();
  }

  @Get(':name')
  @ApiOperation({ summary: 'Read a region' })
  @ApiParam(NAME_PARAM)
  @ApiResponse({ status: 200, schema: regionSchemaRef('Region') })
  @ApiResponse({ status: 404, schema: regionSchemaRef('Problem') })
  async get(@Param('name') name: string): Promise<RegionView> {
    return this.regions.get(name);
  }

  @Delete(':name')
  @RequireScope('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a region no monitor uses; its results consumers close and its agents’ Redis user is deleted on every node' })
  @ApiParam(NAME_PARAM)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: regionSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'Monitors use it', schema: regionSchemaRef('Problem') })
  async delete(@Param('name') name: string): Promise<void> {
    await this.regions.delete(name);
  }
}
