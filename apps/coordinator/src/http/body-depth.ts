import { HttpException, HttpStatus } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problem } from './problem';

/**
 * How deep a JSON request body may nest. Every document the API takes fits in a dozen levels;
 * the bound keeps the code that walks a body recursively (merge patch, validation, error paths)
 * far from the stack's end, whatever a client sends.
 */
export const MAX_BODY_DEPTH = 64;

/** Whether `value` nests arrays and objects deeper than `max` levels. Iterative: no depth can overflow it. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}

/** Express middleware after the body parser: a body nested deeper than {@link MAX_BODY_DEPTH} is a 400. */
export function limitBodyDepth(request: IncomingMessage & { body?: unknown }, _response: ServerResponse, next: (error?: unknown) => void): void {
  if (nestsDeeperThan(request.body, MAX_BODY_DEPTH)) {
    next(new HttpException(problem(HttpStatus.BAD_REQUEST, `request body nests deeper than ${MAX_BODY_DEPTH} levels`), HttpStatus.BAD_REQUEST));
    return;
  }
  next();
}
