/**
 * Which request and response headers may carry a credential. One rule for every place a header
 * value could leave the system (API answers, results, incidents, webhook payloads, logs) and for
 * what the coordinator encrypts at rest, so that "is this a secret?" has one answer.
 */

/** Headers that carry credentials by definition (RFC 9110 §11, RFC 6265) or by wide convention. */
const CREDENTIAL_HEADER_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

/**
 * Names that say "credential": `*-token`, `*-key`, `*-secret`, `*-password`, `*-apikey`,
 * `*-credential(s)` (separated by `-` or `_`, or the whole name), and any `*-auth*`
 * (`X-Auth-Token`, `X-Authentication`, `X-Goog-Authenticated-User`).
 */
const CREDENTIAL_NAME_PATTERN = /(?:^|[-_])(?:token|key|apikey|secret|password|passwd|credentials?)$|(?:^|[-_])auth/;

/**
 * Whether the value of the header `name` may be a credential: a well-known credential header, a
 * name that says so (see above), or one the monitor marks secret (`secretHeaders`, compared
 * without regard to case). Over-matching costs a redacted value; under-matching leaks a secret.
 */
export function isCredentialHeader(name: string, secretHeaders: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  if (CREDENTIAL_HEADER_NAMES.has(lower) || CREDENTIAL_NAME_PATTERN.test(lower)) return true;
  return secretHeaders.some((secret) => secret.toLowerCase() === lower);
}
