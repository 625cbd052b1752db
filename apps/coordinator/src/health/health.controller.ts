import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { callerOf } from '../auth/caller';
import { Public } from '../auth/public.decorator';
import { schemaRef } from '../openapi/schema-ref';
import type { HealthReport, PublicHealthReport } from './health-report';
import { HealthService } from './health.service';

/**
 * The coordinator's own health, for load balancers and orchestrators. Public, but only the
 * status is: the details (Redis, queues, workers, agents and regions) need a token of any scope.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(HealthService) private readonly health: HealthService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Health of this coordinator; 503 when degraded',
    description:
      'Without a token (or with one that is not valid): `{"status":"ok"}` or `{"status":"degraded"}` only. ' +
      'With a token of any scope: the reasons, Redis, queues, workers and agents.',
  })
  @ApiResponse({ status: 200, description: 'ok', schema: schemaRef('Health') })
  @ApiResponse({ status: 503, description: 'degraded (reasons listed to a token)', schema: schemaRef('Health') })
  @ApiResponse({ status: 429, description: 'Too many requests from this address; see `Retry-After`', schema: schemaRef('Problem') })
  async check(@Req() request: IncomingMessage, @Res({ passthrough: true }) response: ServerResponse): Promise<HealthReport | PublicHealthReport> {
    const report = await this.health.check();
    response.statusCode = report.status === 'ok' ? 200 : 503;
    return callerOf(request) ? report : { status: report.status };
  }
}
