import { HttpException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problem } from './problem';

/** The Content-Encodings the body parser inflates; anything else is a 415. */
const SUPPORTED_CONTENT_ENCODINGS = ['identity', 'gzip', 'deflate', 'br'] as const;

/**
 * What body-parser (and the `http-errors` it raises) attaches to its errors. A stream error it
 * passes on, such as zlib failing to inflate a body, keeps its own fields and gains only `status`.
 */
interface BodyParserError extends Error {
  status: number;
  type?: unknown;
  limit?: unknown;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return error instanceof Error && typeof (error as Partial<BodyParserError>).status === 'number';
}

function contentEncodingOf(request: IncomingMessage): string {
  return (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
}

function messageOf(error: BodyParserError, request: IncomingMessage): string {
  switch (error.type) {
    case 'entity.parse.failed':
      return `malformed JSON body: ${error.message}`;
    case 'entity.too.large':
      return typeof error.limit === 'number'
        ? `request body too large: the limit is ${error.limit} bytes${contentEncodingOf(request) === 'identity' ? '' : ' after decoding'}`
        : 'request body too large';
    case 'encoding.unsupported':
      return `${error.message}; supported: ${SUPPORTED_CONTENT_ENCODINGS.join(', ')}`;
    case 'request.size.invalid':
      return 'request body length does not match Content-Length';
    case 'request.aborted':
      return 'request body aborted before its end';
    case undefined: {
      // Untyped: the decompression stream failed (bad header, truncated, corrupt data).
      const encoding = contentEncodingOf(request);
      return encoding === 'identity' ? `unreadable request body: ${error.message}` : `request body does not decode as ${encoding} (Content-Encoding): ${error.message}`;
    }
    default:
      return error.message;
  }
}

/**
 * Express error middleware placed right after the body parser: turns its errors (malformed JSON,
 * body too large, unsupported charset or Content-Encoding, a compressed body that does not
 * decode) into client errors with a clear message, so a bad body is a 4xx problem document, never
 * a 500 or an HTML page. Its own 5xx (a stream read twice: a bug of ours) stay server errors.
 */
export function translateBodyParseErrors(
  error: unknown,
  request: IncomingMessage,
  _response: ServerResponse,
  next: (error?: unknown) => void,
): void {
  if (!isBodyParserError(error) || error.status < 400 || error.status >= 500) {
    next(error);
    return;
  }
  next(new HttpException(problem(error.status, messageOf(error, request)), error.status));
}
