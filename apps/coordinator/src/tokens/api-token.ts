import type { createdTokenSchema, TokenView } from '@crosscheck/contract';
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { TokenScope } from '../auth/scope.decorator';

/** An API token as the API shows it: never the token itself, nor its hash (`tokenSchema` of `@crosscheck/contract`). */
export type ApiToken = TokenView;

/** What `POST /v1/tokens` answers: the token's record and, this once, the token (`cct_` + base64url of 32 random bytes). */
export type CreatedApiToken = z.output<typeof createdTokenSchema>;

/** What a request's token resolves to, read back by its hash. */
export interface TokenGrant {
  id: string;
  scope: TokenScope;
}

/** Random bytes in a new token: 256 bits, so a plain SHA-256 of it is as good as a slow hash. */
const TOKEN_BYTES = 32;

/** What a token made by the API looks like: `cct_` + 43 base64url characters. */
export const API_TOKEN_PATTERN = /^cct_[A-Za-z0-9_-]{43}$/;

/** What a token id looks like. */
export const TOKEN_ID_PATTERN = /^tok_[a-z2-7]{20}$/;

/** A new token: `cct_` + base64url of 32 random bytes (the prefix lets secret scanners find leaked ones). */
export function newApiToken(): string {
  return `cct_${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/**
 * The stored form of a token: SHA-256, hex. A token is 256 random bits, so no dictionary or brute
 * force reaches it through its hash; a slow password hash would only slow down every request.
 */
export function apiTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `value` can name a token at all (anything else is a 404 without asking Redis). */
export function isTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value);
}
