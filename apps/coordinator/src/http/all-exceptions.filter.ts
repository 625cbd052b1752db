import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { problem, type Problem } from './problem';
import { isRedisUnavailable } from '../redis/redis-unavailable';

/**
 * Every error answer is a JSON problem `{statusCode, error, message}`. Client errors keep their 4xx;
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
    const body = this.toProblem(exception, request);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.statusCode = body.statusCode;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
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

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return problem(status, response);
  const fields = response as Partial<Problem> & { message?: unknown };
  const message = Array.isArray(fields.message) ? fields.message.join('; ') : typeof fields.message === 'string' ? fields.message : exception.message;
  return {
    ...problem(status, message),
    ...(fields.issues ? { issues: fields.issues } : {}),
    ...(fields.errorId ? { errorId: fields.errorId } : {}),
  };
}
