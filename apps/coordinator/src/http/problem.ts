import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** A field at fault in a request, by dotted path (`expect.json.0.path`, `limit`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The JSON body of every error answer: `{statusCode, error, message}`, plus `issues` on validation errors. */
export interface Problem {
  statusCode: number;
  error: string;
  message: string;
  issues?: FieldIssue[];
  errorId?: string;
  /** On a 412 (If-Match): the revision the resource is at now. */
  currentRevision?: number;
}

/** Builds a {@link Problem} with the standard reason phrase of `statusCode`. */
export function problem(statusCode: number, message: string, extra: Partial<Problem> = {}): Problem {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...extra };
}

/** A 400 naming every field at fault. */
export function validationFailed(message: string, issues: FieldIssue[]): HttpException {
  return new HttpException(problem(HttpStatus.BAD_REQUEST, message, { issues }), HttpStatus.BAD_REQUEST);
}

/** A 404 for a resource that does not exist (or whose id cannot exist). */
export function notFound(message: string): HttpException {
  return new HttpException(problem(HttpStatus.NOT_FOUND, message), HttpStatus.NOT_FOUND);
}

/** A 409 for a request that collides with the resource's state (a taken key, a resolved incident). */
export function conflict(message: string): HttpException {
  return new HttpException(problem(HttpStatus.CONFLICT, message), HttpStatus.CONFLICT);
}
