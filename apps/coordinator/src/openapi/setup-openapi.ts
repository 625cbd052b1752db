import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_RESPONSE_SCHEMAS, CONTRACT_VERSION, PROBLEM_TYPE_BASE } from '@crosscheck/contract';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import { documentFaults } from './document-faults';
import { jsonSchemaComponents } from './json-schema-components';
import { applyProblemResponses, problemResponseComponents } from './problem-responses';
import { requestSchemas } from './request-schemas';
import { webhooksSection } from './webhooks-section';

/** The OpenAPI version of the document: 3.1, whose schemas are JSON Schema 2020-12 as zod writes them. */
export const OPENAPI_VERSION = '3.1.0';

/** A built document that fails {@link documentFaults}: a bug in a controller's decorators or in a schema. */
export class OpenApiDocumentError extends Error {
  constructor(readonly faults: string[]) {
    super(`the OpenAPI document is faulty:\n  ${faults.join('\n  ')}`);
    this.name = 'OpenApiDocumentError';
  }
}

const DESCRIPTION =
  'Monitors, their rounds and results, incidents, webhooks, agents, regions and health. Every /v1 route needs `Authorization: Bearer <token>`: ' +
  '`API_TOKEN` (admin) or a token made with `POST /v1/tokens`. A `read` token may GET and HEAD, `write` also every other ' +
  'method of monitors, webhooks and maintenance, `admin` also tokens and regions; 403 names the scope missing. ' +
  'Requests are rate limited per token and per client address (429 with `Retry-After`).\n\n' +
  `Errors are RFC 9457 problems (\`${PROBLEM_CONTENT_TYPE}\`): \`{type, title, status, detail, instance}\`, \`type\` being ` +
  `\`${PROBLEM_TYPE_BASE}<kind>\` (validation, not-found, conflict, ...); validation errors add \`issues: [{path, message}]\`. ` +
  'The members `statusCode`, `error` and `message` repeat `status`, `title` and `detail` for clients of the older shape.\n\n' +
  `The events sent to webhook endpoints are under \`webhooks\`. Wire contract version ${CONTRACT_VERSION}.`;

/**
 * The coordinator's OpenAPI 3.1 document: paths and operations from the controllers' decorators,
 * every schema generated from the zod schemas of `@crosscheck/contract` (responses and events)
 * and of the request parsers, the webhook events under `webhooks`, every error a problem.
 * Throws {@link OpenApiDocumentError} when a `$ref` dangles or an answer lacks its schema.
 */
export function buildOpenApiDocument(app: INestApplication, minIntervalSeconds: number): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Crosscheck coordinator')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'This coordinator')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        '`API_TOKEN` (the bootstrap admin token) or a `cct_` token from `POST /v1/tokens` with scope `read`, `write` or `admin`. ' +
        'Missing, wrong or revoked: 401. Scope too small: 403 naming the scope the route needs.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.openapi = OPENAPI_VERSION;
  const schemas = { ...jsonSchemaComponents(API_RESPONSE_SCHEMAS, 'output'), ...jsonSchemaComponents(requestSchemas(minIntervalSeconds), 'input') };
  // Nest's types describe OpenAPI 3.0 schemas; these are 3.1 (JSON Schema 2020-12: `type` arrays, `const`).
  document.components = {
    ...document.components,
    schemas: schemas as NonNullable<OpenAPIObject['components']>['schemas'],
    responses: problemResponseComponents(),
  };
  applyProblemResponses(document.paths as unknown as Record<string, Record<string, unknown>>);
  Object.assign(document, { webhooks: webhooksSection() });
  const faults = documentFaults(document as unknown as Record<string, unknown>);
  if (faults.length > 0) throw new OpenApiDocumentError(faults);
  return document;
}

/** Serves the OpenAPI document at `/docs-json` and Swagger UI at `/docs` (both public). */
export function setupOpenApi(app: INestApplication, minIntervalSeconds: number): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, minIntervalSeconds), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Crosscheck coordinator API',
  });
}
