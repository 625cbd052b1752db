import { Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Query } from '@nestjs/common';
import { regionNameSchema } from '@crosscheck/contract';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { parseQuery } from '../http/parse-query';
import { limitParameter, timeParameter } from '../http/query-values';
import { schemaRef } from '../openapi/schema-ref';
import type { MonitorBaselinesView } from '@crosscheck/contract';
import type { MonitorStatus, ResultView } from './monitor-status';
import { MonitorResultsService } from './monitor-results.service';

const resultsQuery = z.object({
  since: timeParameter.optional(),
  until: timeParameter.optional(),
  limit: limitParameter(100, 1_000),
  cursor: z
    .string()
    .regex(/^\d{1,16}-\d{1,16}$/, 'must be a cursor returned by a previous page')
    // History ids are Redis stream ids, all after 0-0: no page ends there, and Redis refuses a range
    // that ends before it.
    .refine((cursor) => !/^0+-0+$/.test(cursor), 'must be a cursor returned by a previous page (0-0 comes before every entry)')
    .optional(),
});

const baselinesQuery = z.object({ region: regionNameSchema.optional() });

/** A monitor's latest status per region and its result history. */
@ApiTags('monitors')
@ApiBearerAuth()
@Controller('v1/monitors')
export class MonitorResultsController {
  constructor(@Inject(MonitorResultsService) private readonly results: MonitorResultsService) {}

  @Get(':id/status')
  @ApiOperation({ summary: "The monitor's latest finalized round, region by region" })
  @ApiParam({ name: 'id', example: 'mon_2b4kq7xa3dhv6mnpz2re' })
  @ApiResponse({ status: 200, schema: schemaRef('MonitorStatus') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async status(@Param('id') id: string): Promise<MonitorStatus> {
    return this.results.status(id);
  }

  @Get(':id/baselines')
  @ApiOperation({
    summary: 'What each region learned a healthy response looks like',
    description:
      "The healthy baseline each region keeps (learned from healthy rounds only, started over when the spec changes): a 200 that departs from it is `content_changed`, validators that stop advancing are frozen content. Give one region's to `crosscheck check --baseline <file>` to compare a response by hand.",
  })
  @ApiParam({ name: 'id', example: 'mon_2b4kq7xa3dhv6mnpz2re' })
  @ApiResponse({ status: 200, schema: schemaRef('MonitorBaselines') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async baselines(@Param('id') id: string): Promise<MonitorBaselinesView> {
    return this.results.baselines(id);
  }

  @Delete(':id/baselines')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Forget what the regions learned, so that they learn afresh',
    description:
      'For a response that changed for good in a way the baseline does not adopt by itself (content that stopped advancing on purpose, a new kind of health document). `region` forgets one region only. Changing the monitor\'s spec starts its baselines over too.',
  })
  @ApiParam({ name: 'id', example: 'mon_2b4kq7xa3dhv6mnpz2re' })
  @ApiQuery({ name: 'region', required: false, description: 'Only this region' })
  @ApiResponse({ status: 204, description: 'Forgotten' })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async forgetBaselines(@Param('id') id: string, @Query() query: unknown): Promise<void> {
    const { region } = parseQuery(baselinesQuery, query);
    await this.results.forgetBaselines(id, region);
  }

  @Get(':id/results')
  @ApiOperation({ summary: 'Result history, newest first (one entry per region per round, missing ones included)' })
  @ApiParam({ name: 'id' })
  @ApiQuery({ name: 'since', required: false, description: 'Epoch ms or ISO 8601; inclusive, on recordedAt' })
  @ApiQuery({ name: 'until', required: false, description: 'Epoch ms or ISO 8601; inclusive, on recordedAt' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiResponse({ status: 200, schema: schemaRef('ResultPage') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async history(@Param('id') id: string, @Query() query: unknown): Promise<{ items: ResultView[]; nextCursor: string | null }> {
    const { since, until, limit, cursor } = parseQuery(resultsQuery, query);
    return this.results.results(id, {
      limit,
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
  }
}
