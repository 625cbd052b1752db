/**
 * The API token of this browser tab: in `sessionStorage` (gone with the tab, never sent to another
 * origin, never in a URL), and nowhere else.
 */
const TOKEN_KEY = 'crosscheck.token';

/** Told when the tab signs in or out; `reason` says why a sign-out was not the user's own. */
type SessionListener = (reason: string | null) => void;

const listeners = new Set<SessionListener>();

/** The token this tab signed in with; `null` when signed out (or storage is off). */
export function currentToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Keeps `token` for this tab. */
export function signIn(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  for (const listener of listeners) listener(null);
}

/** Forgets the token: the user signed out (`reason` null), or the API refused it (`reason` says so). */
export function signOut(reason: string | null = null): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage is off: there was nothing kept
  }
  for (const listener of listeners) listener(reason);
}

/** Calls `listener` whenever the tab signs in or out; returns the unsubscribe. */
export function onSessionChange(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
