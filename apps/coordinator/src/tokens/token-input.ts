import { z } from 'zod';
import { TOKEN_SCOPES, type TokenScope } from '../auth/scope.decorator';
import { parseBody } from '../http/parse-body';

/** Longest token name accepted. */
export const MAX_TOKEN_NAME_LENGTH = 100;

const createSchema = z
  .object({
    name: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_TOKEN_NAME_LENGTH, `must be at most ${MAX_TOKEN_NAME_LENGTH} characters`)
      .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters'),
    scope: z.enum(TOKEN_SCOPES, {
      error: (issue) => (issue.input === undefined ? `is required: one of ${TOKEN_SCOPES.join(', ')}` : `must be one of ${TOKEN_SCOPES.join(', ')}`),
    }),
  })
  .strict();

/** A validated `POST /v1/tokens` body. */
export interface TokenInput {
  name: string;
  scope: TokenScope;
}

/** Validates a create body; a 400 naming each field at fault otherwise. */
export function parseTokenInput(body: unknown): TokenInput {
  return parseBody(createSchema, body, 'invalid token');
}
