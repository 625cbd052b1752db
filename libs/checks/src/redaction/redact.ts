import { isCredentialHeader } from './credential-header';

/** What a redacted header value reads as, in every answer, record, payload and log. */
export const REDACTED = '[redacted]';

/**
 * What redacted URL userinfo reads as: `https://***@host/`. The whole userinfo goes, user name
 * included: tokens are often passed as the user name (`https://<token>:x-oauth-basic@…`).
 */
export const REDACTED_USERINFO = '***';

/**
 * The userinfo of absolute (`scheme://user:pass@`) and scheme-relative (`//user:pass@`) URLs in
 * free text. `[^\s/?#]*` is greedy, so the match ends at the last `@` of the authority, as URL
 * parsers split it (`http://a@b@host/` has the user info `a@b`).
 */
const URL_USERINFO = /((?:[a-z][a-z0-9+.-]*:)?\/\/)([^\s/?#]*)@/gi;

/**
 * `text` with the userinfo of every URL in it replaced by `***` (`http://user:pass@host/` ->
 * `http://***@host/`); anything else unchanged. Works on a bare URL as on a message that quotes
 * one, and on text that is not a valid URL at all; idempotent.
 */
export function redactUrl(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(URL_USERINFO, (match, prefix: string, userinfo: string) =>
    userinfo === '' || userinfo === REDACTED_USERINFO ? match : `${prefix}${REDACTED_USERINFO}@`,
  );
}

/**
 * Header values as they may be shown: credential headers (see {@link isCredentialHeader}, with the
 * monitor's `secretHeaders`) read `[redacted]`; URLs in the others (`Location`, `Referer`) lose
 * their userinfo. Names are kept as written.
 */
export function redactHeaders(headers: Readonly<Record<string, string>>, secretHeaders: readonly string[] = []): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    // defineProperty: a header named `__proto__` stays a header, never the prototype.
    Object.defineProperty(shown, name, {
      value: isCredentialHeader(name, secretHeaders) ? REDACTED : redactUrl(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return shown;
}

/** The parts of a monitor spec that may hold secrets. */
export interface SpecSecrets {
  url: string;
  headers: Record<string, string>;
  secretHeaders?: string[] | undefined;
}

/**
 * A monitor spec as it may be shown: URL userinfo and credential header values redacted, every
 * other field untouched (so an API client can send it back: the coordinator keeps the stored
 * secret for a value still reading `[redacted]` or `***`).
 */
export function redactSpecSecrets<T extends SpecSecrets>(spec: T): T {
  return { ...spec, url: redactUrl(spec.url), headers: redactHeaders(spec.headers, spec.secretHeaders) };
}

/**
 * A JSON-like document (an API answer, an incident, a payload, a log record) with every secret it
 * may quote redacted: each string loses its URL userinfo, and each `headers` object of strings has
 * its credential values redacted (with a sibling `secretHeaders` list, if any). Arrays and plain
 * objects are copied; other objects (errors, dates, buffers) are returned as they are, for their
 * own serializers. Meant for read-only views: a document a client edits and sends back (a monitor)
 * is shown through {@link redactSpecSecrets}, which touches only what it can restore.
 */
export function redactDeep<T>(value: T): T {
  return redactValue(value, 0) as T;
}

/**
 * Deeper than any document of ours: a cycle or a hostile depth ends here as `[redacted]` rather
 * than overflowing the stack or passing on what was not looked at.
 */
const MAX_DEPTH = 64;

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactUrl(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const object = value as Record<string, unknown>;
  const secretHeaders = stringArray(object['secretHeaders']);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    const shown = key === 'headers' && isStringRecord(item) ? redactHeaders(item, secretHeaders) : redactValue(item, depth + 1);
    Object.defineProperty(copy, key, { value: shown, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((item) => typeof item === 'string');
}
