import type { IncomingMessage } from 'node:http';
import type { TokenScope } from './scope.decorator';

/** Who made a request, as its bearer token says. */
export interface Caller {
  /** The token's id; {@link BOOTSTRAP_TOKEN_ID} for `API_TOKEN`. */
  tokenId: string;
  scope: TokenScope;
}

/** The id under which `API_TOKEN` is rate limited (it is no stored token: it has no `tok_` id). */
export const BOOTSTRAP_TOKEN_ID = 'api-token';

const callers = new WeakMap<IncomingMessage, Caller>();

/** Records the caller of a request (the bearer token guard does, once it has checked the token). */
export function rememberCaller(request: IncomingMessage, caller: Caller): void {
  callers.set(request, caller);
}

/** The caller of a request; `null` when it carried no valid token (possible on public routes only). */
export function callerOf(request: IncomingMessage): Caller | null {
  return callers.get(request) ?? null;
}
