/**
 * A small, safe JSONPath subset for assertions: `$`, `.name`, `['name']`, `["name"]`, `[0]`,
 * `[-1]` (from the end). Parsed once when a spec is compiled; evaluated without `eval`.
 */

export type JsonPathSegment = string | number;

export interface JsonPath {
  source: string;
  segments: JsonPathSegment[];
}

export class JsonPathSyntaxError extends Error {
  constructor(
    readonly source: string,
    readonly position: number,
    detail: string,
  ) {
    super(`invalid JSON path "${source}" at character ${position + 1}: ${detail}`);
    this.name = 'JsonPathSyntaxError';
  }
}

const IDENTIFIER = /^[A-Za-z_$@][\w$@-]*/;

/** Parses a JSON path; throws {@link JsonPathSyntaxError} naming the position of the problem. */
export function parseJsonPath(source: string): JsonPath {
  if (!source.startsWith('$')) throw new JsonPathSyntaxError(source, 0, 'must start with "$"');
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < source.length) {
    const char = source[i];
    if (char === '.') {
      const match = IDENTIFIER.exec(source.slice(i + 1));
      if (!match) throw new JsonPathSyntaxError(source, i + 1, 'expected a property name after "."');
      segments.push(match[0]);
      i += 1 + match[0].length;
    } else if (char === '[') {
      const close = source.indexOf(']', i);
      if (close < 0) throw new JsonPathSyntaxError(source, i, 'missing "]"');
      const inner = source.slice(i + 1, close).trim();
      if (/^-?\d+$/.test(inner)) {
        segments.push(Number(inner));
      } else if (/^'[^']*'$|^"[^"]*"$/.test(inner)) {
        segments.push(inner.slice(1, -1));
      } else {
        throw new JsonPathSyntaxError(source, i + 1, 'expected an index or a quoted property name inside "[ ]"');
      }
      i = close + 1;
    } else {
      throw new JsonPathSyntaxError(source, i, `unexpected "${char}"`);
    }
  }
  return { source, segments };
}

/** The result of looking a path up: `found: false` when any step is missing. */
export type JsonLookup = { found: true; value: unknown } | { found: false };

/** Looks a compiled path up in a parsed JSON document. */
export function lookupJsonPath(document: unknown, path: JsonPath): JsonLookup {
  let current: unknown = document;
  for (const segment of path.segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return { found: false };
      const index = segment < 0 ? current.length + segment : segment;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return { found: false };
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return { found: false };
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}
