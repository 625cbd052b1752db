import { MAX_MONITOR_JSON_BYTES } from '@crosscheck/checks';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { CoordinatorConfig } from './config/coordinator-config';
import type { Clock } from './core/clock';
import { mountDashboard } from './dashboard/mount-dashboard';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { limitBodyDepth } from './http/body-depth';
import { translateBodyParseErrors } from './http/body-parse-errors';
import { PinoLoggerService } from './logging/pino-logger.service';
import { setupOpenApi } from './openapi/setup-openapi';

/**
 * Request bodies larger than this are refused (413) before they are parsed: the largest body any
 * route takes is a monitor, whose JSON is capped at this size (`MAX_MONITOR_JSON_BYTES`).
 */
const BODY_LIMIT = MAX_MONITOR_JSON_BYTES;

/**
 * Builds the coordinator's Nest application (not yet listening): JSON bodies (including
 * `application/merge-patch+json`, nested at most `MAX_BODY_DEPTH` levels), problem-document errors,
 * OpenAPI at `/docs`, the dashboard's built files at `/`.
 * Used by `main.ts` and by tests, which may hand in their own clock.
 */
export async function createCoordinatorApp(config: CoordinatorConfig, logger: Logger, clock?: Clock): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, logger, clock), {
    logger: new PinoLoggerService(logger),
    bodyParser: false,
  });
  // Ahead of everything else: the dashboard's files need no body parsing, token or rate limit.
  mountDashboard(app, config.dashboardDir, logger);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.use(translateBodyParseErrors);
  app.use(limitBodyDepth);
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.disable('x-powered-by');
  // Responses are live state; a weak ETag invites caches to serve stale health and status.
  app.set('etag', false);
  setupOpenApi(app, config.minIntervalSeconds);
  return app;
}
