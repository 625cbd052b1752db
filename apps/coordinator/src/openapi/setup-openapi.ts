import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CONTRACT_VERSION } from '@crosscheck/contract';
import { openApiSchemas } from './openapi-schemas';
import { regionOpenApiSchemas } from '../regions/regions.openapi';
import { webhookOpenApiSchemas } from '../webhooks/webhooks.openapi';
import { tokenOpenApiSchemas } from '../tokens/tokens.openapi';

/** Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs` (both public). */
export function setupOpenApi(app: INestApplication, minIntervalSeconds: number): void {
  const config = new DocumentBuilder()
    .setTitle('Crosscheck coordinator')
    .setDescription(
      'Monitors, their rounds and results, agents and health. Every /v1 route needs `Authorization: Bearer <token>`: ' +
        '`API_TOKEN` (admin) or a token made with `POST /v1/tokens`. A `read` token may GET and HEAD, `write` also every other ' +
        'method of monitors, webhooks and maintenance, `admin` also tokens and regions; 403 names the scope missing. ' +
        'Requests are rate limited per token and per client address (429 with `Retry-After`). ' +
        'Errors are JSON problems `{statusCode, error, message}`; validation errors add `issues: [{path, message}]`. ' +
        `Wire contract version ${CONTRACT_VERSION}.`,
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        '`API_TOKEN` (the bootstrap admin token) or a `cct_` token from `POST /v1/tokens` with scope `read`, `write` or `admin`. ' +
        'Missing, wrong or revoked: 401. Scope too small: 403 naming the scope the route needs.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...openApiSchemas(minIntervalSeconds),
      ...webhookOpenApiSchemas(),
      ...tokenOpenApiSchemas(),
      ...regionOpenApiSchemas(),
    },
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Crosscheck coordinator API' });
}
