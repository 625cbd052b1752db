import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { schemaRef } from '../openapi/schema-ref';
import { RoundStats, type RoundStatsSnapshot } from './round-stats';

/** This coordinator's own figures since it started. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/stats')
export class StatsController {
  constructor(@Inject(RoundStats) private readonly stats: RoundStats) {}

  @Get()
  @ApiOperation({ summary: 'Rounds started by this coordinator and their start lag (scheduled time to fan-out)' })
  @ApiResponse({ status: 200, schema: schemaRef('Stats') })
  read(): { rounds: RoundStatsSnapshot; uptimeSeconds: number } {
    return { rounds: this.stats.snapshot(), uptimeSeconds: Math.round(process.uptime()) };
  }
}
