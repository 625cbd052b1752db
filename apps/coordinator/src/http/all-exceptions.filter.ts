import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { PROBLEM_CONTENT_TYPE, problem, type Problem } from './problem';
import { isRedisUnavailable } from '../redis/redis-unavailable';

/**
 * Every error answer is an RFC 9457 problem (`application/problem+json`): `{type, title, status,
 * detail, instance}` plus the legacy members `statusCode`, `error`, `message` (and `issues`,
 * `errorId`) as extensions. Client errors keep their 4xx;
 * Redis being away is a 503 with `Retry-After`; anything else is a 500 whose details are logged
 * under an `errorId` given to the client, and never sent to it.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger.child({ component: 'http' });
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<ServerResponse>();
    const body: Problem = { ...this.toProblem(exception, request), instance: instanceOf(request) };
    if (response.headersSent) {
      response.end();
      return;
    }
    response.statusCode = body.statusCode;
    response.setHeader('Content-Type', `${PROBLEM_CONTENT_TYPE}; charset=utf-8`);
    response.setHeader('Cache-Control', 'no-store');
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', '5');
    response.end(JSON.stringify(body));
  }

  private toProblem(exception: unknown, request: IncomingMessage): Problem {
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (isRedisUnavailable(exception)) {
      this.logger.warn({ err: exception, method: request.method, url: request.url }, 'request failed: redis unavailable');
      return problem(HttpStatus.SERVICE_UNAVAILABLE, 'storage unavailable; retry later');
    }
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId, method: request.method, url: request.url }, 'unexpected error');
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error', { errorId });
  }
}

/** Members {@link problem} derives from the status and the message: not copied from a thrown body. */
const DERIVED_MEMBERS = new Set(['status', 'statusCode', 'title', 'error', 'detail', 'message']);

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return problem(status, response);
  const fields = response as Record<string, unknown>;
  const message = Array.isArray(fields['message'])
    ? fields['message'].join('; ')
    : typeof fields['message'] === 'string'
      ? fields['message']
      : exception.message;
  // A thrown problem's own members (`issues`, `errorId`, `currentRevision`, a `type` of its own) are kept.
  const extensions = Object.fromEntries(Object.entries(fields).filter(([key]) => !DERIVED_MEMBERS.has(key)));
  return { ...problem(status, message), ...extensions };
}

/** The `instance` of a problem: the request's path, without the query (which may carry what should not be echoed). */
function instanceOf(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}
