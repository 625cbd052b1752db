import { HttpStatus } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { etagOf } from './if-match';

/** A resource with a revision: its `ETag`. */
interface Revisioned {
  revision: number;
}

/** A dry run's answer: nothing stored, so no revision to tag. */
interface DryRunAnswer {
  dryRun: true;
}

/** Sets the resource's revision as the answer's `ETag` and returns it. */
export function tagged<T extends Revisioned>(response: ServerResponse, resource: T): T {
  response.setHeader('ETag', etagOf(resource.revision));
  return resource;
}

/** A write's answer: tagged, but a dry run answers no ETag (nothing was stored at the revision it shows). */
export function taggedWrite<W extends Revisioned | DryRunAnswer>(response: ServerResponse, written: W): W {
  const answer: Revisioned | DryRunAnswer = written;
  if (!('dryRun' in answer)) tagged(response, answer);
  return written;
}

/**
 * A create's answer: `201` with `Location` (the collection's path + the new id) and `ETag`; a dry run
 * `200`, untagged.
 */
export function createdAnswer<W extends (Revisioned & { id: string }) | DryRunAnswer>(response: ServerResponse, written: W, collection: string): W {
  const answer: (Revisioned & { id: string }) | DryRunAnswer = written;
  if ('dryRun' in answer) {
    response.statusCode = HttpStatus.OK;
    return written;
  }
  response.setHeader('Location', `${collection}/${answer.id}`);
  tagged(response, answer);
  return written;
}
