import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MONITOR_ID_PATTERN } from '@crosscheck/contract';
import { z } from 'zod';
import { parseQuery } from '../http/parse-query';
import { limitParameter, timeParameter } from '../http/query-values';
import { schemaRef } from '../openapi/schema-ref';
import type { IncidentDetail, IncidentPage } from './incident-record';
import { INCIDENT_CURSOR_PATTERN, IncidentsService } from './incidents.service';

const listQuery = z
  .object({
    monitorId: z.string().regex(MONITOR_ID_PATTERN, 'must be a monitor id (mon_ + 20 base-32 characters)').optional(),
    state: z.enum(['open', 'resolved'], { error: 'must be open or resolved' }).optional(),
    since: timeParameter.optional(),
    until: timeParameter.optional(),
    limit: limitParameter(50, 200),
    cursor: z.string().regex(INCIDENT_CURSOR_PATTERN, 'must be a nextCursor returned by a previous page').optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.since !== undefined && query.until !== undefined && query.since > query.until) {
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'must not be after until' });
    }
  });

const ID_PARAM = { name: 'id', example: 'inc_mon_2b4kq7xa3dhv6mnpz2re_1795598126000' };

/** Incidents and their timelines; acknowledging one (write scope, as every POST). */
@ApiTags('incidents')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Missing or wrong bearer token', schema: schemaRef('Problem') })
@Controller('v1/incidents')
export class IncidentsController {
  constructor(@Inject(IncidentsService) private readonly incidents: IncidentsService) {}

  @Get()
  @ApiOperation({ summary: 'Incidents, newest first (by openedAt), filtered by monitor, state and time' })
  @ApiQuery({ name: 'monitorId', required: false, description: "Only this monitor's incidents" })
  @ApiQuery({ name: 'state', required: false, enum: ['open', 'resolved'] })
  @ApiQuery({ name: 'since', required: false, description: 'Epoch ms or ISO 8601; inclusive, on openedAt' })
  @ApiQuery({ name: 'until', required: false, description: 'Epoch ms or ISO 8601; inclusive, on openedAt' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiResponse({ status: 200, schema: schemaRef('IncidentPage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  async list(@Query() query: unknown): Promise<IncidentPage> {
    const { monitorId, state, since, until, limit, cursor } = parseQuery(listQuery, query);
    return this.incidents.list({
      limit,
      ...(monitorId !== undefined ? { monitorId } : {}),
      ...(state !== undefined ? { state } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One incident with its timeline: each transition with its round and per-region evidence' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, schema: schemaRef('IncidentDetail') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async get(@Param('id') id: string): Promise<IncidentDetail> {
    return this.incidents.get(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Acknowledge an open incident: records acknowledgedAt and acknowledgedBy, and an `acknowledged` timeline entry. Acknowledging again keeps the first acknowledgement',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ required: false, schema: schemaRef('IncidentAcknowledgementInput') })
  @ApiResponse({ status: 200, description: 'The incident, acknowledged', schema: schemaRef('IncidentDetail') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 403, description: 'The token has read scope only', schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  @ApiResponse({ status: 409, description: 'The incident is resolved', schema: schemaRef('Problem') })
  async acknowledge(@Param('id') id: string, @Body() body: unknown): Promise<IncidentDetail> {
    return this.incidents.acknowledge(id, body);
  }
}
