import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SERIES_STEPS, UPTIME_WINDOWS, type SeriesReport, type UptimeReport } from '@crosscheck/contract';
import { z } from 'zod';
import { parseQuery } from '../http/parse-query';
import { notFound } from '../http/problem';
import { isMonitorId } from '../monitors/monitor-id';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { schemaRef } from '../openapi/schema-ref';
import { UptimeService } from './uptime.service';
import { DEFAULT_SERIES_STEPS, seriesStepProblem } from './uptime-window';

const windowParameter = z.enum(UPTIME_WINDOWS, { error: `must be one of ${UPTIME_WINDOWS.join(', ')}` });
const stepParameter = z.enum(SERIES_STEPS, { error: `must be one of ${SERIES_STEPS.join(', ')}` });

const uptimeQuery = z.object({ window: windowParameter.default('24h') });

const seriesQuery = z
  .object({ window: windowParameter.default('24h'), step: stepParameter.optional() })
  .superRefine((query, ctx) => {
    const problem = query.step === undefined ? null : seriesStepProblem(query.window, query.step);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['step'], message: problem });
  });

const WINDOW_QUERY = {
  name: 'window',
  required: false,
  schema: { type: 'string', enum: [...UPTIME_WINDOWS], default: '24h' },
  description: 'Ending now. Kept per minute for 1h and 24h, per hour for 7d, 30d and 90d, per UTC day for 365d.',
} as const;

/** A monitor's uptime and latency history, from the rollups its rounds write. */
@ApiTags('monitors')
@ApiBearerAuth()
@Controller('v1/monitors')
export class UptimeController {
  constructor(
    @Inject(UptimeService) private readonly uptimes: UptimeService,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
  ) {}

  @Get(':id/uptime')
  @ApiOperation({
    summary: 'Uptime over a window: round and region ratios, minutes per classification and with an incident open, latency percentiles',
    description:
      'A round is up when classified operational or degraded, down when an outage (outage, masked_outage, regional_outage); rounds classified unknown are excluded, and said so.',
  })
  @ApiParam({ name: 'id', example: 'mon_2b4kq7xa3dhv6mnpz2re' })
  @ApiQuery(WINDOW_QUERY)
  @ApiResponse({ status: 200, schema: schemaRef('UptimeReport') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async uptime(@Param('id') id: string, @Query() query: unknown): Promise<UptimeReport> {
    const { window } = parseQuery(uptimeQuery, query);
    await this.mustExist(id);
    return this.uptimes.uptime(id, window);
  }

  @Get(':id/series')
  @ApiOperation({ summary: 'A window step by step, for charts: rounds, uptime, classifications and per region checks and latency', description: 'Every step from `from` to `to`, oldest first, empty ones included.' })
  @ApiParam({ name: 'id', example: 'mon_2b4kq7xa3dhv6mnpz2re' })
  @ApiQuery(WINDOW_QUERY)
  @ApiQuery({
    name: 'step',
    required: false,
    schema: { type: 'string', enum: [...SERIES_STEPS] },
    description: `Default per window: ${Object.entries(DEFAULT_SERIES_STEPS).map(([window, step]) => `${step} for ${window}`).join(', ')}. No finer than the window is kept, at most 1,500 points.`,
  })
  @ApiResponse({ status: 200, schema: schemaRef('SeriesReport') })
  @ApiResponse({ status: 400, schema: schemaRef('Problem') })
  @ApiResponse({ status: 404, schema: schemaRef('Problem') })
  async series(@Param('id') id: string, @Query() query: unknown): Promise<SeriesReport> {
    const { window, step } = parseQuery(seriesQuery, query);
    await this.mustExist(id);
    return this.uptimes.series(id, window, step);
  }

  private async mustExist(id: string): Promise<void> {
    if (!isMonitorId(id) || !(await this.monitors.present(id))) throw notFound(`monitor ${id} not found`);
  }
}
