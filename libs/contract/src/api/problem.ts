import { z } from 'zod';
import type { FieldIssue } from './field-issue';

/**
 * What the `type` URIs of problems start with. Each URI names a kind of problem and is stable. A
 * URN, because it is only an identifier (RFC 9457 §3.1.1 allows that) and an http URI on a domain
 * the project does not hold would invite clients to fetch someone else's page.
 */
export const PROBLEM_TYPE_BASE = 'urn:crosscheck:problem:';

/**
 * The kinds of problem the API answers, by the `type` URI's last segment. A client switches on
 * `type` (or on `status`), never on `title` or `detail`, which are for people.
 */
export const PROBLEM_KINDS = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  428: 'precondition-required',
  429: 'rate-limited',
  500: 'internal',
  503: 'unavailable',
} as const satisfies Record<number, string>;

/** The `type` URI of a problem with HTTP status `status`; `about:blank` for a status without a kind of its own (RFC 9457 §4.2.1). */
export function problemTypeFor(status: number): string {
  const kind = (PROBLEM_KINDS as Record<number, string>)[status];
  return kind === undefined ? 'about:blank' : `${PROBLEM_TYPE_BASE}${kind}`;
}

/** A field at fault in a request, by dotted path (`expect.json.0.path`, `limit`; `''` for the body itself). */
export const fieldIssueSchema = z.object({
  path: z.string().meta({ examples: ['expect.json.0.path'] }),
  message: z.string().meta({ examples: ['must start with $'] }),
}) satisfies z.ZodType<FieldIssue>;

/**
 * The body of every error answer (`Content-Type: application/problem+json`): an RFC 9457 problem
 * (`type`, `title`, `status`, `detail`, `instance`) whose extension members keep the shape the API
 * answered before it (`statusCode`, `error`, `message`, and `issues` on validation errors,
 * `errorId` on 500s), so clients written against either read it.
 */
export const problemSchema = z
  // Loose: RFC 9457 lets a problem carry extension members; a client must ignore those it does not know.
  .looseObject({
    type: z
      .string()
      .describe(`A URI naming the kind of problem: \`${PROBLEM_TYPE_BASE}<kind>\` (${Object.values(PROBLEM_KINDS).join(', ')}), or \`about:blank\`.`)
      .meta({ examples: [`${PROBLEM_TYPE_BASE}validation`] }),
    title: z.string().describe('The HTTP reason phrase of `status`; the same for every problem of a kind.').meta({ examples: ['Bad Request'] }),
    status: z.number().int().min(100).max(599).meta({ examples: [400] }),
    detail: z.string().describe('What went wrong with this request, for a person.').meta({ examples: ['invalid monitor'] }),
    instance: z.string().optional().describe('The request path (without its query) the problem is about.').meta({ examples: ['/v1/monitors'] }),
    statusCode: z.number().int().min(100).max(599).describe('Legacy member: `status`.'),
    error: z.string().describe('Legacy member: `title`.'),
    message: z.string().describe('Legacy member: `detail`.'),
    issues: z.array(fieldIssueSchema).optional().describe('Every field at fault (validation errors only).'),
    errorId: z.string().optional().describe('On 500: the id under which the error was logged.'),
    currentRevision: z.number().int().optional().describe('On 412: the revision the resource is at now.'),
  })
  .describe('RFC 9457 problem details, with the legacy members `statusCode`, `error`, `message` kept as extensions.');
export type Problem = z.output<typeof problemSchema>;
