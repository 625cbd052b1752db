import { Controller, Get, Header, HttpException, HttpStatus, Inject, Req, Res } from '@nestjs/common';
import { ApiExtension, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OwnAuthentication } from '../auth/public.decorator';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { StepTimeoutError } from '../core/with-timeout';
import { problem } from '../http/problem';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { NOT_RATE_LIMITED } from '../openapi/problem-responses';
import { schemaRef } from '../openapi/schema-ref';
import { CoordinatorMetrics } from './coordinator-metrics.service';

/**
 * `GET /metrics` for Prometheus. Outside the API's tokens and rate limits (a scraper calls it every
 * few seconds): open, or, when `METRICS_TOKEN` is set, for `Authorization: Bearer <METRICS_TOKEN>` only.
 */
@ApiTags('operations')
@OwnAuthentication()
@Controller('metrics')
export class MetricsController {
  private readonly expected: Buffer | null;

  constructor(
    @Inject(CoordinatorMetrics) private readonly metrics: CoordinatorMetrics,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
  ) {
    this.expected = config.metricsToken === undefined ? null : digest(config.metricsToken);
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiExtension(NOT_RATE_LIMITED, true)
  @ApiOperation({
    summary: 'Prometheus metrics of this coordinator (text format 0.0.4)',
    description:
      'Open unless `METRICS_TOKEN` is set; then `Authorization: Bearer <METRICS_TOKEN>` (not an API token). Not rate limited. ' +
      'Per monitor and region: `crosscheck_region_up`, `crosscheck_region_status`, `crosscheck_monitor_classification`, ' +
      '`crosscheck_check_duration_seconds` (at most 10,000 monitors a scrape); also `crosscheck_incidents_open`, `crosscheck_queue_jobs`, ' +
      '`crosscheck_agents_live`, and this process’s `crosscheck_rounds_total`, `crosscheck_round_start_lag_seconds`, `crosscheck_webhook_deliveries_total`.',
  })
  @ApiResponse({ status: 200, description: 'The metrics', content: { 'text/plain': { schema: schemaRef('MetricsText') } } })
  @ApiResponse({ status: 401, description: '`METRICS_TOKEN` is set and the request does not carry it', schema: schemaRef('Problem') })
  @ApiResponse({ status: 503, description: 'Redis could not be read within 5 s; see `Retry-After`', schema: schemaRef('Problem') })
  async read(@Req() request: IncomingMessage, @Res({ passthrough: true }) response: ServerResponse): Promise<string> {
    if (this.expected !== null) {
      const presented = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
      if (presented === undefined || !timingSafeEqual(digest(presented), this.expected)) {
        response.setHeader('WWW-Authenticate', 'Bearer realm="crosscheck-metrics"');
        throw new HttpException(
          problem(HttpStatus.UNAUTHORIZED, presented === undefined ? 'missing bearer token: /metrics needs METRICS_TOKEN' : 'invalid bearer token for /metrics'),
          HttpStatus.UNAUTHORIZED,
        );
      }
    }
    let text: string;
    try {
      text = await this.metrics.scrape();
    } catch (error) {
      if (!(error instanceof StepTimeoutError) && !isRedisUnavailable(error)) throw error;
      throw new HttpException(problem(HttpStatus.SERVICE_UNAVAILABLE, `metrics could not be read: ${(error as Error).message}`), HttpStatus.SERVICE_UNAVAILABLE);
    }
    response.setHeader('Content-Type', this.metrics.contentType);
    return text;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
