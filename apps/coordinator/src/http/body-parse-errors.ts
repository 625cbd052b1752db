import { HttpException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problem } from './problem';

/** What body-parser attaches to the errors it raises. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    error instanceof Error &&
    typeof (error as Partial<BodyParserError>).type === 'string' &&
    typeof (error as Partial<BodyParserError>).status === 'number'
  );
}

/**
 * Express error middleware placed right after the body parser: turns its errors (malformed JSON,
 * body too large, unsupported charset) into client errors with a clear message, so a bad body is
 * a 4xx problem document, never a 500 or an HTML page.
 */
export function translateBodyParseErrors(
  error: unknown,
  _request: IncomingMessage,
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (!isBodyParserError(error)) {
    next(error);
    return;
  }
  const status = error.status >= 400 && error.status < 500 ? error.status : 400;
  const message =
    error.type === 'entity.parse.failed'
      ? `malformed JSON body: ${error.message}`
      : error.type === 'entity.too.large'
        ? 'request body too large'
        : error.message;
  next(new HttpException(problem(status, message), status));
}
