import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import { schemaRef } from './schema-ref';

/**
 * The OpenAPI extension (`@ApiExtension(NOT_RATE_LIMITED, true)`) of a route the rate limiter
 * never sees (`/metrics`): the document gives it no 429.
 */
export const NOT_RATE_LIMITED = 'x-not-rate-limited';

/** What the document's operations look like to this module: their responses, and whether they need a token. */
interface Operation {
  responses?: Record<string, { description?: string; content?: unknown; $ref?: string }>;
  security?: unknown[];
  [NOT_RATE_LIMITED]?: boolean;
}

/** Error answers any route may give, as reusable responses (`#/components/responses/<name>`). */
export const COMMON_PROBLEM_RESPONSES = {
  Unauthorized: { status: '401', description: 'Missing, wrong or revoked bearer token (`WWW-Authenticate: Bearer`).', secured: true },
  Forbidden: { status: '403', description: 'The token lacks the scope the route needs (named in `detail`).', secured: true },
  TooManyRequests: { status: '429', description: 'Rate limit of this token or client address exceeded; see `Retry-After`.', secured: false },
  InternalError: { status: '500', description: 'Unexpected error; `errorId` names it in the coordinator log.', secured: false },
  Unavailable: { status: '503', description: 'Storage (Redis) unavailable; retry after `Retry-After` seconds.', secured: false },
} as const;

/**
 * The security of a public route (`@Public()`, `/health`): anyone may call it, and a bearer token
 * of any scope, when given, shows more.
 */
const PUBLIC_WITH_OPTIONAL_TOKEN = [{}, { bearer: [] }];

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

function problemContent(): Record<string, { schema: { $ref: string } }> {
  return { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') } };
}

/** The reusable problem responses, for `components.responses`. */
export function problemResponseComponents(): Record<string, { description: string; content: Record<string, { schema: { $ref: string } }> }> {
  const components: Record<string, { description: string; content: Record<string, { schema: { $ref: string } }> }> = {};
  for (const [name, response] of Object.entries(COMMON_PROBLEM_RESPONSES)) {
    components[name] = { description: response.description, content: problemContent() };
  }
  return components;
}

/**
 * Makes every error answer of every operation a problem: a declared 4xx/5xx whose schema is
 * `Problem` is served as `application/problem+json` (how the exception filter answers), and each
 * operation gains the error answers every route may give that it does not declare itself (401 and
 * 403 where a token is needed, 429, 500, 503). An operation that declares no security is public,
 * a token optional. A declared error with another schema (the 503 of
 * `/health` is its report) is left as it is.
 */
export function applyProblemResponses(paths: Record<string, Record<string, unknown>>): void {
  const problemRef = schemaRef('Problem').$ref;
  for (const item of Object.values(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Operation | undefined;
      if (operation === undefined) continue;
      const responses = (operation.responses ??= {});
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[45]/.test(status) || response.$ref !== undefined) continue;
        const json = (response.content as Record<string, { schema?: { $ref?: string } }> | undefined)?.['application/json'];
        if (response.content === undefined || json?.schema?.$ref === problemRef) {
          responses[status] = { description: response.description ?? 'Error', content: problemContent() };
        }
      }
      // An operation without `security`, or with an empty alternative, is public: no 401 or 403.
      if (operation.security === undefined) operation.security = PUBLIC_WITH_OPTIONAL_TOKEN;
      const secured = !operation.security.some((alternative) => typeof alternative === 'object' && alternative !== null && Object.keys(alternative).length === 0);
      for (const [name, common] of Object.entries(COMMON_PROBLEM_RESPONSES)) {
        if (common.secured && !secured) continue;
        if (common.status === '429' && operation[NOT_RATE_LIMITED] === true) continue;
        if (responses[common.status] === undefined) responses[common.status] = { $ref: `#/components/responses/${name}` };
      }
    }
  }
}
