import { PROBLEM_CONTENT_TYPE } from '../http/problem';

type Json = { [key: string]: unknown };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** Error answers whose body is not a problem: `/health` answers 503 with its report (degraded). */
const ERRORS_WITH_BODIES_OF_THEIR_OWN = new Set(['GET /health 503']);

/** Statuses that have no body. */
const BODILESS = new Set(['204', '304']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a local `$ref` (`#/a/b`) points at in `document`, or `undefined`. */
function resolvePointer(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let current: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

function collectRefs(value: unknown, at: string, found: { ref: string; at: string }[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectRefs(item, `${at}/${index}`, found));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push({ ref: item, at });
      else collectRefs(item, `${at}/${key}`, found);
    }
  }
}

/**
 * What is wrong with a built OpenAPI document, one line each (empty when nothing is): a `$ref` that
 * resolves to nothing, a success answer with a body but no schema, an error answer that is not
 * a `Problem` served as `application/problem+json`. The coordinator refuses to start with a
 * faulty document, so a controller naming a schema that does not exist fails every test.
 */
export function documentFaults(document: Json): string[] {
  const faults: string[] = [];
  const refs: { ref: string; at: string }[] = [];
  collectRefs(document, '#', refs);
  for (const { ref, at } of refs) {
    if (resolvePointer(document, ref) === undefined) faults.push(`${at}: $ref ${ref} resolves to nothing`);
  }
  const paths = isObject(document['paths']) ? document['paths'] : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const responses = isObject(operation['responses']) ? operation['responses'] : {};
      if (!Object.keys(responses).some((status) => /^2/.test(status))) faults.push(`${method.toUpperCase()} ${path}: no success answer documented`);
      for (const [status, declared] of Object.entries(responses)) {
        const response = isObject(declared) && typeof declared['$ref'] === 'string' ? resolvePointer(document, declared['$ref']) : declared;
        if (!isObject(response)) continue;
        const content = isObject(response['content']) ? response['content'] : {};
        const where = `${method.toUpperCase()} ${path} ${status}`;
        if (/^2/.test(status) && !BODILESS.has(status)) {
          const media = Object.values(content);
          if (media.length === 0 || !media.every((entry) => isObject(entry) && isObject(entry['schema']))) faults.push(`${where}: a body without a schema`);
        }
        if (/^[45]/.test(status)) {
          const problem = content[PROBLEM_CONTENT_TYPE];
          const isProblem = isObject(problem) && isObject(problem['schema']) && problem['schema']['$ref'] === '#/components/schemas/Problem';
          if (!isProblem && !ERRORS_WITH_BODIES_OF_THEIR_OWN.has(where)) faults.push(`${where}: an error answer that is not a Problem (${PROBLEM_CONTENT_TYPE})`);
        }
      }
    }
  }
  return faults;
}
