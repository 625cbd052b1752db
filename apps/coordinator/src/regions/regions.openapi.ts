import { regionAgentCredentialsSchema } from '@crosscheck/contract';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';
import { regionInputSchema } from './region-input';

type RegionSchemaName = keyof ReturnType<typeof regionOpenApiSchemas>;

/** A `$ref` to one of {@link regionOpenApiSchemas}, or to the app's `Problem`. */
export function regionSchemaRef(name: RegionSchemaName | 'Problem'): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

const name: SchemaObject = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,31}$', example: 'eu-west' };

/** An OpenAPI 3.0 schema generated from a zod schema (the one that validates, or types, the wire shape). */
function fromZod(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as SchemaObject & { $schema?: string };
  delete json.$schema;
  return json;
}

/** The regions API's schemas for the OpenAPI document (merged in by `setupOpenApi`). */
export function regionOpenApiSchemas() {
  const region: SchemaObject = {
    type: 'object',
    required: ['name', 'managedBy', 'createdAt', 'monitorCount', 'liveAgents', 'blind'],
    properties: {
      name,
      managedBy: {
        type: 'string',
        enum: ['operator', 'monitors'],
        description: '`operator`: stays until an operator deletes it. `monitors`: goes when no monitor names it any more.',
      },
      createdAt: { type: 'string', format: 'date-time', nullable: true },
      monitorCount: { type: 'integer', minimum: 0, description: 'Monitors that check from it now.' },
      liveAgents: { type: 'integer', minimum: 0 },
      blind: { type: 'boolean', description: 'No live agent: its checks go unanswered and are withdrawn at their deadline.' },
    },
  };
  return {
    RegionInput: fromZod(regionInputSchema, 'input'),
    Region: region,
    RegionAgentCredentials: {
      ...fromZod(regionAgentCredentialsSchema, 'output'),
      description: 'What a region’s agents need, shown once: start them with `env`. The coordinator keeps only the password’s SHA-256.',
    },
    RegionCreated: {
      allOf: [
        { $ref: '#/components/schemas/Region' },
        {
          type: 'object',
          properties: { agent: { $ref: '#/components/schemas/RegionAgentCredentials' } },
          description: '`agent` unless the body said `"credentials": false`',
        },
      ],
    } satisfies SchemaObject,
    RegionCredentialsRotation: {
      type: 'object',
      required: ['agent'],
      additionalProperties: false,
      properties: { agent: { $ref: '#/components/schemas/RegionAgentCredentials' } },
    } satisfies SchemaObject,
    RegionList: {
      type: 'object',
      required: ['items', 'maxRegions'],
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/Region' } },
        maxRegions: { type: 'integer', description: '`MAX_REGIONS`: regions beyond it are refused (409).' },
      },
    } satisfies SchemaObject,
  };
}
