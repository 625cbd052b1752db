import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { Public } from '../auth/public.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import type { HealthReport } from './health-report';
import { HealthService } from './health.service';

/** The coordinator's own health, for load balancers and orchestrators. Public. */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Health of this coordinator: Redis, queues, workers, agents; 503 when degraded' })
  @ApiResponse({ status: 200, description: 'ok', schema: schemaRef('Health') })
  @ApiResponse({ status: 503, description: 'degraded (reasons listed)', schema: schemaRef('Health') })
  async check(@Res({ passthrough: true }) response: ServerResponse): Promise<HealthReport> {
    const report = await this.health.check();
    response.statusCode = report.status === 'ok' ? 200 : 503;
    return report;
  }
}
