import { HttpException, HttpStatus } from '@nestjs/common';
import { problem, validationFailed } from './problem';

/**
 * A parsed `If-Match` header (RFC 9110 §13.1.1): `*` (any current revision), or the entity tags
 * listed. Resources are tagged `"<revision>"` (strong), so only a strong tag whose opaque part is
 * a revision can match; a weak tag (`W/"3"`) never does, If-Match comparing strongly.
 */
export type IfMatch = { kind: 'any' } | { kind: 'tags'; revisions: readonly number[]; header: string };

/** One entity-tag at `lastIndex`: `[W/]"<etagc>*"` with optional whitespace around it. */
const ENTITY_TAG = /[ \t]*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*/y;
const REVISION = /^[1-9]\d{0,15}$/;

/** The strong entity tag of a revision, as `ETag` carries it. */
export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/**
 * Parses `If-Match` (`null` when the request has none); a 400 naming the header when it is not
 * `*` or a list of entity tags (an unquoted `3`, an unterminated `"3`, `*` among tags).
 */
export function parseIfMatch(header: string | readonly string[] | undefined): IfMatch | null {
  if (header === undefined) return null;
  const value = typeof header === 'string' ? header : header.join(', ');
  if (value.trim() === '*') return { kind: 'any' };
  const revisions: number[] = [];
  let tags = 0;
  let position = 0;
  while (position < value.length) {
    const char = value[position];
    // A list may have empty elements (RFC 9110 §5.6.1): skip separators and whitespace.
    if (char === ',' || char === ' ' || char === '\t') {
      position++;
      continue;
    }
    ENTITY_TAG.lastIndex = position;
    const match = ENTITY_TAG.exec(value);
    if (!match) throw malformed(value);
    position = ENTITY_TAG.lastIndex;
    if (position < value.length && value[position] !== ',') throw malformed(value);
    tags++;
    const opaque = match[2] ?? '';
    if (match[1] === undefined && REVISION.test(opaque)) revisions.push(Number(opaque));
  }
  if (tags === 0) throw malformed(value);
  return { kind: 'tags', revisions, header: value };
}

/** Whether a resource at `revision` passes the condition (no condition: it always does). */
export function ifMatchAllows(condition: IfMatch | null, revision: number): boolean {
  if (condition === null || condition.kind === 'any') return true;
  return condition.revisions.includes(revision);
}

/**
 * The 412 of a stale If-Match, naming both revisions and the current one as `currentRevision`:
 * "monitor mon_x is at revision 4, not 3 (If-Match): it changed since you read it".
 */
export function preconditionFailed(resource: string, currentRevision: number, condition: IfMatch): HttpException {
  const given = condition.kind === 'tags' && condition.revisions.length > 0 ? condition.revisions.join(' or ') : condition.kind === 'tags' ? condition.header : '*';
  return new HttpException(
    problem(HttpStatus.PRECONDITION_FAILED, `${resource} is at revision ${currentRevision}, not ${given} (If-Match): it changed since you read it`, {
      currentRevision,
    }),
    HttpStatus.PRECONDITION_FAILED,
  );
}

function malformed(value: string): HttpException {
  return validationFailed('invalid If-Match header', [
    { path: 'If-Match', message: `must be * or a list of quoted entity tags such as "3" (the ETag of a read), not ${JSON.stringify(value)}` },
  ]);
}
