import { z } from 'zod';
import { isoTimeSchema, resourceIdSchema } from './common';

/**
 * What an API token may do, each scope including the ones before it: `read` (GET and HEAD),
 * `write` (every other method of monitors, webhooks, maintenance), `admin` (tokens, regions).
 */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;

/** A token's scope. */
export const tokenScopeSchema = z
  .enum(TOKEN_SCOPES)
  .describe('`read`: GET and HEAD; `write`: also every other method of monitors, webhooks, maintenance; `admin`: also tokens and regions.')
  .meta({ examples: ['read'] });

/** A token's id: `tok_` + 20 base-32 characters. */
export const tokenIdSchema = resourceIdSchema('tok', 'tok_23ocd2bqb2n2g4vyifld');

/** An API token as the API shows it: never the token itself, nor its hash. */
export const tokenSchema = z.object({
  id: tokenIdSchema,
  name: z.string(),
  scope: tokenScopeSchema,
  createdAt: isoTimeSchema,
  lastUsedAt: isoTimeSchema.nullable().describe('The last request that carried it, to within a minute; `null` until one did.'),
});
export type TokenView = z.output<typeof tokenSchema>;

/** What `POST /v1/tokens` answers: the token's record and, this once, the token. */
export const createdTokenSchema = tokenSchema.extend({
  token: z
    .string()
    .regex(/^cct_[A-Za-z0-9_-]{43}$/)
    .describe('The bearer token (`cct_` + base64url of 32 random bytes). Shown only here: only its SHA-256 is stored.'),
});

/** Longest token name accepted. */
export const MAX_TOKEN_NAME_LENGTH = 100;

/** `POST /v1/tokens`: a token's name (trimmed) and scope. */
export const tokenInputSchema = z
  .object({
    name: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_TOKEN_NAME_LENGTH, `must be at most ${MAX_TOKEN_NAME_LENGTH} characters`)
      .refine((name) => !/\p{Cc}/u.test(name), 'must not contain control characters')
      .describe('What the token is for (trimmed).')
      .meta({ examples: ['ci deploy'] }),
    scope: z.enum(TOKEN_SCOPES, {
      error: (issue) => (issue.input === undefined ? `is required: one of ${TOKEN_SCOPES.join(', ')}` : `must be one of ${TOKEN_SCOPES.join(', ')}`),
    }),
  })
  .strict();
export type TokenInput = z.output<typeof tokenInputSchema>;
