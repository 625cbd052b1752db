/**
 * The coordinator's routes as its served OpenAPI document describes them, so a fuzz reaches every
 * route that exists, new ones included, without a list to keep up to date; plus a few routes the
 * document does not (or does not yet) describe, which must answer 4xx all the same.
 */

/** A JSON Schema type name. */
export type JsonSchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** The subset of JSON Schema (2020-12, as OpenAPI 3.1 has it) the coordinator's document uses. */
export interface JsonSchema {
  $ref?: string;
  /** One type, or several (`["string", "null"]`: OpenAPI 3.1's nullable). */
  type?: JsonSchemaType | JsonSchemaType[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  pattern?: string;
  format?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** One route to fuzz: a method and a path template (`/v1/monitors/{id}`). */
export interface FuzzRoute {
  method: string;
  path: string;
  /** Names of the `{params}` of `path`, in order. */
  pathParams: string[];
  query: OpenApiParameter[];
  /** Media types the body may be sent as, and its schema, when the route takes one. */
  body: { contentTypes: string[]; schema: JsonSchema | undefined } | undefined;
  source: 'openapi' | 'listed';
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/**
 * Routes the fuzz sends to whether or not the document has them: the documents themselves, the
 * root, methods a route does not have, unknown paths, and the routes other parts of issue 8 add
 * (tokens, regions, delivery retry, replay, secret rotation). Once those are in the document they
 * are fuzzed from it with their schemas; before that they must still be a clean 404.
 */
export const LISTED_ROUTES: ReadonlyArray<{ method: string; path: string; body?: boolean }> = [
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/docs' },
  { method: 'GET', path: '/docs-json' },
  { method: 'GET', path: '/v1' },
  { method: 'GET', path: '/v1/{anything}' },
  { method: 'POST', path: '/health', body: true },
  { method: 'DELETE', path: '/v1/monitors' },
  { method: 'OPTIONS', path: '/v1/monitors' },
  { method: 'HEAD', path: '/v1/monitors/{id}' },
  { method: 'POST', path: '/v1/monitors/{id}', body: true },
  { method: 'PUT', path: '/v1/webhooks/{id}', body: true },
  { method: 'GET', path: '/v1/tokens' },
  { method: 'POST', path: '/v1/tokens', body: true },
  { method: 'DELETE', path: '/v1/tokens/{id}' },
  { method: 'GET', path: '/v1/regions' },
  { method: 'POST', path: '/v1/regions', body: true },
  { method: 'GET', path: '/v1/regions/{name}' },
  { method: 'DELETE', path: '/v1/regions/{name}' },
  { method: 'POST', path: '/v1/webhooks/{id}/deliveries/{deliveryId}/retry', body: true },
  { method: 'POST', path: '/v1/webhooks/{id}/replay', body: true },
  { method: 'POST', path: '/v1/webhooks/{id}/rotate-secret', body: true },
];

function paramsOf(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

/** Follows `$ref`s into `components.schemas`. */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref !== undefined && hops < 20; hops++) {
    const name = current.$ref.replace(/^#\/components\/schemas\//, '');
    current = document.components?.schemas?.[name];
  }
  return current;
}

/** Every operation of the document, then every listed route it lacks (same method, same template shape). */
export function routesOf(document: OpenApiDocument): FuzzRoute[] {
  const routes: FuzzRoute[] = [];
  const shape = (method: string, path: string): string => `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`;
  const seen = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.has(method)) continue;
      const content = operation.requestBody?.content ?? {};
      const contentTypes = Object.keys(content);
      const firstJson = contentTypes.find((type) => type.includes('json')) ?? contentTypes[0];
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: paramsOf(path),
        query: (operation.parameters ?? []).filter((parameter) => parameter.in === 'query'),
        body: operation.requestBody ? { contentTypes, schema: firstJson === undefined ? undefined : content[firstJson]?.schema } : undefined,
        source: 'openapi',
      });
      seen.add(shape(method, path));
    }
  }
  for (const listed of LISTED_ROUTES) {
    if (seen.has(shape(listed.method, listed.path))) continue;
    routes.push({
      method: listed.method,
      path: listed.path,
      pathParams: paramsOf(listed.path),
      query: [],
      body: listed.body ? { contentTypes: ['application/json'], schema: undefined } : undefined,
      source: 'listed',
    });
  }
  return routes;
}

/**
 * The schema a route's body is generated from. A PATCH whose documented schema is an open object
 * (a JSON Merge Patch of something) borrows the schema of the PUT or POST of the same resource, so
 * its fields are the real ones.
 */
export function bodySchemaOf(document: OpenApiDocument, routes: FuzzRoute[], route: FuzzRoute): JsonSchema | undefined {
  const own = resolveSchema(document, route.body?.schema);
  if (route.method !== 'PATCH' || (own !== undefined && (own.properties !== undefined || own.allOf !== undefined))) return own;
  const collection = route.path.replace(/\/\{[^}]+\}$/, '');
  const sibling =
    routes.find((r) => r.method === 'PUT' && r.path === route.path && r.body?.schema !== undefined) ??
    routes.find((r) => r.method === 'POST' && r.path === collection && r.body?.schema !== undefined);
  return resolveSchema(document, sibling?.body?.schema) ?? own;
}

/** The collection a path parameter names an item of: `/v1/monitors/{id}/status` -> `monitors`. */
export function collectionOf(path: string, param: string): string {
  const segments = path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return at > 0 ? (segments[at - 1] ?? param) : param;
}
