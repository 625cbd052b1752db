import { HttpException, HttpStatus } from '@nestjs/common';
import { problemTypeFor, type FieldIssue, type Problem } from '@crosscheck/contract';
import { STATUS_CODES } from 'node:http';

export type { FieldIssue, Problem } from '@crosscheck/contract';

/** The media type of every error answer (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Members a problem may carry besides the ones {@link problem} fills in (`issues`, `errorId`, `currentRevision`, `instance`, ...). */
export type ProblemExtensions = Omit<Partial<Problem>, 'status' | 'statusCode' | 'title' | 'error' | 'detail' | 'message'>;

/**
 * Builds an RFC 9457 {@link Problem}: `type` by status (`urn:crosscheck:problem:<kind>`),
 * `title` the standard reason phrase, `detail` the message; the legacy members (`statusCode`,
 * `error`, `message`) repeat them so clients of the older shape keep working.
 */
export function problem(statusCode: number, message: string, extra: ProblemExtensions = {}): Problem {
  const title = STATUS_CODES[statusCode] ?? 'Error';
  return { type: problemTypeFor(statusCode), title, status: statusCode, detail: message, statusCode, error: title, message, ...extra };
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
