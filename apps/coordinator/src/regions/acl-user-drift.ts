/**
 * How a Redis node's copy of an agent user compares with the rule it should have:
 *
 * - `missing`: the node has no such user (a restart that reloaded an ACL file without it, a new
 *   node, a replica promoted after the user was made, someone's `ACL DELUSER`);
 * - `differs`: the user is there but not as the rule says (another password, switched off, other
 *   keys or channels, or commands unlike what this node showed right after the rule was applied);
 * - `matches`: as applied.
 *
 * Redis rewrites command rules when it stores them (Redis 7 folds `+hget +hset ...` into
 * `+@hash -hkeys ...`; other versions differ), so the commands are compared with what the same node
 * showed after the rule was applied (`applied`), not with the rule's text. Without that (another
 * coordinator applied it, or this one restarted) the commands count as unknown: `unverified`, and
 * the caller applies the rule once to learn them.
 */
export type AclUserDrift = 'missing' | 'differs' | 'unverified' | 'matches';

/** What the rule of an agent user says, in the terms `ACL GETUSER` answers in. */
export interface ExpectedAclUser {
  /** SHA-256 (hex) of its one password. */
  passwordHash: string;
  /** Its key patterns, without the leading `~` (`cc:r:{eu-west}:*`). */
  keyPatterns: readonly string[];
}

/** `ACL GETUSER`'s fields, as Redis 6.2 (arrays) and 7 (strings) give them, made comparable. */
export interface AclUserView {
  flags: string[];
  passwords: string[];
  commands: string;
  keys: string[];
  channels: string[];
  selectors: number;
}

/** Reads an `ACL GETUSER` reply (a flat list of field, value); `null` for no such user. */
export function readAclUser(reply: unknown): AclUserView | null {
  if (!Array.isArray(reply)) return null;
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < reply.length; index += 2) fields.set(String(reply[index]), reply[index + 1]);
  return {
    flags: list(fields.get('flags')),
    passwords: list(fields.get('passwords')).map((hash) => hash.toLowerCase()),
    commands: typeof fields.get('commands') === 'string' ? (fields.get('commands') as string) : '',
    keys: patterns(fields.get('keys'), '~'),
    channels: patterns(fields.get('channels'), '&'),
    selectors: Array.isArray(fields.get('selectors')) ? (fields.get('selectors') as unknown[]).length : 0,
  };
}

/** See {@link AclUserDrift}. `applied`: the view this node gave right after the rule was applied, if known. */
export function aclUserDrift(actual: AclUserView | null, expected: ExpectedAclUser, applied: AclUserView | undefined): AclUserDrift {
  if (actual === null) return 'missing';
  const essentials =
    actual.flags.includes('on') &&
    !actual.flags.includes('nopass') &&
    !actual.flags.includes('allkeys') &&
    !actual.flags.includes('allchannels') &&
    sameSet(actual.passwords, [expected.passwordHash]) &&
    sameSet(actual.keys, expected.keyPatterns) &&
    actual.channels.length === 0 &&
    actual.selectors === 0;
  if (!essentials) return 'differs';
  if (applied === undefined) return 'unverified';
  return actual.commands === applied.commands && sameSet(actual.flags, applied.flags) ? 'matches' : 'differs';
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** Redis 7: one string, space-separated, each with its prefix; 6.2: a list of bare patterns. */
function patterns(value: unknown, prefix: string): string[] {
  const items = typeof value === 'string' ? value.split(' ') : list(value);
  return items.filter((item) => item !== '').map((item) => (item.startsWith(prefix) ? item.slice(prefix.length) : item));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}
