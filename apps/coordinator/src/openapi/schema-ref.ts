import type { ApiResponseSchemaName } from '@crosscheck/contract';
import { COMPONENT_SCHEMAS_PATH } from './json-schema-components';
import type { RequestSchemaName } from './request-schemas';

/** The name of a schema of the OpenAPI document's components: a response, event or request body. */
export type ComponentName = ApiResponseSchemaName | RequestSchemaName;

/**
 * A `$ref` to a component schema, for the controllers' `@ApiResponse` and `@ApiBody`. The name is
 * checked by the compiler, and every `$ref` of the built document is checked to resolve.
 */
export function schemaRef(name: ComponentName): { $ref: string } {
  return { $ref: `${COMPONENT_SCHEMAS_PATH}${name}` };
}
