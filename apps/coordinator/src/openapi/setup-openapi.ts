import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CONTRACT_VERSION } from '@crosscheck/contract';
import { openApiSchemas } from './openapi-schemas';
import { regionOpenApiSchemas } from '../regions/regions.openapi';
import { webhookOpenApiSchemas } from '../webhooks/webhooks.openapi';

/** Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs` (both public). */
export function setupOpenApi(app: INestApplication, minIntervalSeconds: number): void {
  const config = new DocumentBuilder()
    .setTitle('Crosscheck coordinator')
    .setDescription(
      'Monitors, their rounds and results, agents and health. Every /v1 route needs `Authorization: Bearer <API_TOKEN>`. ' +
        'Errors are JSON problems `{statusCode, error, message}`; validation errors add `issues: [{path, message}]`. ' +
        `Wire contract version ${CONTRACT_VERSION}.`,
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...openApiSchemas(minIntervalSeconds), ...webhookOpenApiSchemas(), ...regionOpenApiSchemas() },
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Crosscheck coordinator API' });
}
