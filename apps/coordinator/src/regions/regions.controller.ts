import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { RequireScope } from '../auth/scope.decorator';
import type { RegionList, RegionView } from './region';
import { schemaRef as regionSchemaRef } from '../openapi/schema-ref';
import { RegionsService } from './regions.service';

const NAME_PARAM = { name: 'name', example: 'eu-west', description: 'Region name: 1-32 of `a-z`, `0-9` and `-`, starting with a letter or digit' };

/**
 * The region registry. Regions exist because a monitor names them or an operator creates them, up
 * to `MAX_REGIONS`; creating and deleting one takes an `admin` token.
 */
@ApiTags('regions')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: regionSchemaRef('Problem') })
@Controller('v1/regions')
export class RegionsController {
  constructor(@Inject(RegionsService) private readonly regions: RegionsService) {}

  @Post()
  @RequireScope('admin')
  @ApiOperation({ summary: 'Register a region (201); one the monitors brought is kept by the operator from now on (200)' })
  @ApiBody({ schema: regionSchemaRef('RegionInput') })
  @ApiResponse({ status: 201, description: 'Created; `Location` names the region', schema: regionSchemaRef('Region') })
  @ApiResponse({ status: 200, description: 'It existed (named by monitors); an operator keeps it now', schema: regionSchemaRef('Region') })
  @ApiResponse({ status: 400, description: 'Invalid name or unknown field', schema: regionSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'An operator created it already, or the registry holds MAX_REGIONS regions', schema: regionSchemaRef('Problem') })
  async create(@Body() body: unknown, @Res({ passthrough: true }) response: ServerResponse): Promise<RegionView> {
    const { region, created } = await this.regions.create(body);
    response.statusCode = created ? HttpStatus.CREATED : HttpStatus.OK;
    response.setHeader('Location', `/v1/regions/${region.name}`);
    return region;
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
  @ApiOperation({ summary: 'Delete a region no monitor uses; its results consumers close' })
  @ApiParam(NAME_PARAM)
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 404, schema: regionSchemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'Monitors use it', schema: regionSchemaRef('Problem') })
  async delete(@Param('name') name: string): Promise<void> {
    await this.regions.delete(name);
  }
}
