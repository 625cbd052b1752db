import { tokenInputSchema, type TokenInput } from '@crosscheck/contract';
import { parseBody } from '../http/parse-body';

export type { TokenInput } from '@crosscheck/contract';

/** Validates a create body; a 400 naming each field at fault otherwise. */
export function parseTokenInput(body: unknown): TokenInput {
  return parseBody(tokenInputSchema, body, 'invalid token');
}
