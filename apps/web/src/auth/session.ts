/**
 * The API token of this browser tab: in `sessionStorage` (gone with the tab, never sent to another
 * origin, never in a URL), and nowhere else.
 */
const TOKEN_KEY = 'crosscheck.token';

/** Listeners told when the tab signs in or out. */
const listeners = new Set<() => void>();

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
  for (const listener of listeners) listener();
}

/** Forgets the token (the user signed out, or the API refused it). */
export function signOut(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage is off: there was nothing kept
  }
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever the tab signs in or out; returns the unsubscribe. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
