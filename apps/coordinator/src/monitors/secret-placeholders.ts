import { REDACTED, REDACTED_USERINFO, redactUrl, type MonitorSpec } from '@crosscheck/checks';
import type { FieldIssue } from '../http/problem';

/**
 * Puts the stored secrets back where a client sent a monitor back as the API showed it, so a
 * GET-modify-PUT (or a PATCH of the document as shown) does not replace a secret with its
 * placeholder:
 *
 * - a header whose value is `[redacted]` keeps the stored value of the header of that name (names
 *   compared without regard to case);
 * - a URL sent back exactly as shown (`https://***@host/...`) keeps the stored URL.
 *
 * Only while the monitor still targets what it did: same origin (scheme, host, port) and same
 * `resolve` overrides. Otherwise a client allowed to edit monitors but not to read their secrets
 * could point a monitor elsewhere and have the stored credentials sent there. A placeholder that
 * cannot be kept (nothing stored, or another target) is an issue naming the field: the client must
 * send the secret itself. Pure.
 */
export function keepStoredSecrets(next: MonitorSpec, stored: MonitorSpec | null): { spec: MonitorSpec; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const sameTarget = stored !== null && originOf(next.url) === originOf(stored.url) && sameResolve(next.resolve, stored.resolve);
  const kept = 'kept only while the monitor targets the same origin and resolve overrides';

  let url = next.url;
  if (stored !== null && next.url === redactUrl(stored.url) && next.url !== stored.url) {
    if (sameTarget) url = stored.url;
    else issues.push({ path: 'url', message: `has ${REDACTED_USERINFO}, the placeholder of the stored credentials, ${kept}: send the credentials themselves` });
  } else if (next.url.includes(`//${REDACTED_USERINFO}@`)) {
    issues.push({
      path: 'url',
      message: `has the placeholder ${REDACTED_USERINFO} where credentials go: send the credentials, or the URL exactly as shown to keep the stored ones`,
    });
  }

  const storedHeaders = new Map(Object.entries(stored?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(next.headers)) {
    let header = value;
    if (value === REDACTED) {
      const previous = storedHeaders.get(name.toLowerCase());
      if (previous === undefined) issues.push({ path: `headers.${name}`, message: `is ${REDACTED}, the placeholder of a stored secret, but none is stored: send the value itself` });
      else if (!sameTarget) issues.push({ path: `headers.${name}`, message: `is ${REDACTED}, the placeholder of the stored value, ${kept}: send the value itself` });
      else header = previous;
    }
    Object.defineProperty(headers, name, { value: header, enumerable: true, writable: true, configurable: true });
  }
  return { spec: { ...next, url, headers }, issues };
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : url;
}

function sameResolve(a: readonly string[], b: readonly string[]): boolean {
  const sorted = (list: readonly string[]) => [...list].map((entry) => entry.toLowerCase()).sort().join('\n');
  return sorted(a) === sorted(b);
}
