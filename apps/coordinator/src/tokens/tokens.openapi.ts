import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { cursorPage } from '../openapi/openapi-schemas';
import { TOKEN_SCOPES } from '../auth/scope.decorator';
import { MAX_TOKEN_NAME_LENGTH } from './token-input';

type TokenSchemaName = keyof ReturnType<typeof tokenOpenApiSchemas>;

/** A `$ref` to one of {@link tokenOpenApiSchemas}, or to the app's `Problem`. */
export function tokenSchemaRef(name: TokenSchemaName | 'Problem'): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}

const isoTime = { type: 'string', format: 'date-time' } as const;
const scope: SchemaObject = {
  type: 'string',
  enum: [...TOKEN_SCOPES],
  description: '`read`: GET and HEAD; `write`: also every other method of monitors, webhooks, maintenance; `admin`: also tokens and regions.',
  example: 'read',
};

/** The token API's schemas for the OpenAPI document (merged in by `setupOpenApi`). */
export function tokenOpenApiSchemas() {
  const tokenInput: SchemaObject = {
    type: 'object',
    required: ['name', 'scope'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: MAX_TOKEN_NAME_LENGTH, description: 'What the token is for (trimmed).', example: 'ci deploy' },
      scope,
    },
  };

  const token: SchemaObject = {
    type: 'object',
    required: ['id', 'name', 'scope', 'createdAt', 'lastUsedAt'],
    properties: {
      id: { type: 'string', pattern: '^tok_[a-z2-7]{20}$', example: 'tok_23ocd2bqb2n2g4vyifld' },
      name: { type: 'string' },
      scope,
      createdAt: isoTime,
      lastUsedAt: { ...isoTime, nullable: true, description: 'The last request that carried it, to within a minute; `null` until one did.' },
    },
  };

  const createdToken: SchemaObject = {
    allOf: [
      { $ref: '#/components/schemas/Token' },
      {
        type: 'object',
        required: ['token'],
        properties: {
          token: {
            type: 'string',
            pattern: '^cct_[A-Za-z0-9_-]{43}$',
            description: 'The bearer token (`cct_` + base64url of 32 random bytes). Shown only here: only its SHA-256 is stored.',
          },
        },
      },
    ],
  };

  const tokenPage = cursorPage('Token');

  return { TokenInput: tokenInput, Token: token, CreatedToken: createdToken, TokenPage: tokenPage };
}
