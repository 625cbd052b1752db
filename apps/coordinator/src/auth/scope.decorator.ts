import { SetMetadata } from '@nestjs/common';
import { TOKEN_SCOPES } from '@crosscheck/contract';

// The scopes are part of the wire contract (a token's `scope`); re-exported for the guard and the decorator's users.
export { TOKEN_SCOPES } from '@crosscheck/contract';
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Metadata key of the scope a route needs. */
export const REQUIRED_SCOPE = 'crosscheck:required-scope';

/**
 * The scope a controller or route needs. Without it a route needs `read` for GET and HEAD and
 * `write` for every other method; `admin` routes (tokens, regions) say so with this decorator.
 */
export const RequireScope = (scope: TokenScope) => SetMetadata(REQUIRED_SCOPE, scope);

/** The scope a route needs when it says none: `read` for GET and HEAD, `write` for every other method. */
export function defaultScopeOf(method: string | undefined): TokenScope {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

/** Whether a token of scope `granted` may use a route that needs `needed` (each scope includes the ones before it). */
export function scopeCovers(granted: TokenScope, needed: TokenScope): boolean {
  return TOKEN_SCOPES.indexOf(granted) >= TOKEN_SCOPES.indexOf(needed);
}
