import type { FieldIssue } from '@crosscheck/contract';
import { validationFailed } from './problem';

/** Ids of every resource type that has keys: a key shaped like one would be read as that id. */
const RESOURCE_ID = /^(mon|wh|sp|mw)_[a-z2-7]{20}$/;

/**
 * The key to store for a resource, by the rules every resource with a key follows: a key is chosen
 * on create and never changes (renaming is a delete and a create); a resource without one is
 * addressed by its id, so a key shaped like a resource id is refused, unless it is the resource's
 * own id (what the API presents as its key), which stores nothing. Throws a 400 naming `key`.
 *
 * @param given the key in the request (`undefined`: left out, which keeps the stored one)
 * @param current the resource as stored (`null` on create)
 */
export function keyToStore(given: string | undefined, current: { id: string; key?: string | undefined } | null, message: string): string | undefined {
  if (current === null) {
    if (given !== undefined && RESOURCE_ID.test(given)) {
      throw refused(message, `must not look like a resource id (mon_..., wh_..., sp_..., mw_...): ${given} would read as one`);
    }
    return given;
  }
  const shown = current.key ?? current.id;
  if (given !== undefined && given !== shown) throw refused(message, 'cannot change (renaming is delete + create)');
  return current.key;
}

function refused(message: string, why: string): never {
  const issue: FieldIssue = { path: 'key', message: why };
  throw validationFailed(message, [issue]);
}
