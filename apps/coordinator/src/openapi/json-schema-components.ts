import { z } from 'zod';

/** A JSON Schema (draft 2020-12, which OpenAPI 3.1's Schema Object is) as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/** Where the components of the document live; every `$ref` between them points here. */
export const COMPONENT_SCHEMAS_PATH = '#/components/schemas/';

/** Bounds zod writes on every `.int()`: they say nothing a reader needs. */
const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/**
 * The OpenAPI components of a set of named zod schemas: each one's JSON Schema (draft 2020-12,
 * which OpenAPI 3.1 takes as it is), a named schema used inside another becoming a `$ref` to
 * it. `io` says which side of a schema is described: `output` for what the API answers (defaults
 * applied, every field present), `input` for what it accepts (defaults optional).
 */
export function jsonSchemaComponents(schemas: Readonly<Record<string, z.ZodType>>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    // Transforms and refinements are checked by the server; the document shows the shape they keep.
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_SCHEMAS_PATH}${id}`,
  });
  const components: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) components[id] = tidy(schema) as JsonSchema;
  return components;
}

/**
 * Drops what is noise in a document: `$schema` and `$id` (the document says both), the safe
 * integer bounds of every `.int()`, and the pattern zod adds to `format: date-time`.
 */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonSchema = {};
  const source = value as JsonSchema;
  for (const [key, item] of Object.entries(source)) {
    if (key === '$schema' || key === '$id') continue;
    if ((key === 'minimum' || key === 'maximum') && typeof item === 'number' && SAFE_INTEGER_BOUNDS.has(item)) continue;
    if (key === 'pattern' && source['format'] === 'date-time') continue;
    out[key] = tidy(item);
  }
  return out;
}
