import { describe, expect, it } from 'vitest';
import { aclUserDrift, readAclUser } from './acl-user-drift';

const HASH = 'bd913ff68243d41b9611b2690dfbf2b0f6e42ea14536a98232af60e9f64ffdaa';
const OTHER = 'c'.repeat(64);
const expected = { passwordHash: HASH, keyPatterns: ['cc:r:{eu-west}:*'] };

/** `ACL GETUSER agent-eu-west` on Redis 7.0 after `regionAclRuleOfHash` (commands folded into categories). */
function redis7(overrides: Record<string, unknown> = {}): unknown[] {
  const fields: Record<string, unknown> = {
    flags: ['on', 'sanitize-payload'],
    passwords: [HASH],
    commands: '-@all +@transaction +@hash -hkeys +zrevrange +get +set',
    keys: '~cc:r:{eu-west}:*',
    channels: '',
    selectors: [],
    ...overrides,
  };
  return Object.entries(fields).flat();
}

/** The same on Redis 6.2: patterns as lists, no selectors. */
const redis62 = ['flags', ['on'], 'passwords', [HASH.toUpperCase()], 'commands', '-@all +get +set', 'keys', ['cc:r:{eu-west}:*'], 'channels', []];

describe('aclUserDrift', () => {
  const applied = readAclUser(redis7())!;

  it.each([
    { name: 'no such user', reply: null, known: applied, drift: 'missing' },
    { name: 'as applied', reply: redis7(), known: applied, drift: 'matches' },
    { name: 'right essentials, commands never seen on this node', reply: redis7(), known: undefined, drift: 'unverified' },
    { name: 'another password', reply: redis7({ passwords: [OTHER] }), known: applied, drift: 'differs' },
    { name: 'a second password', reply: redis7({ passwords: [HASH, OTHER] }), known: applied, drift: 'differs' },
    { name: 'switched off', reply: redis7({ flags: ['off', 'sanitize-payload'] }), known: applied, drift: 'differs' },
    { name: 'nopass', reply: redis7({ flags: ['on', 'nopass'], passwords: [] }), known: applied, drift: 'differs' },
    { name: 'every key', reply: redis7({ keys: '~*' }), known: applied, drift: 'differs' },
    { name: 'another region’s keys too', reply: redis7({ keys: '~cc:r:{eu-west}:* ~cc:r:{us-east}:*' }), known: applied, drift: 'differs' },
    { name: 'a channel', reply: redis7({ channels: '&*' }), known: applied, drift: 'differs' },
    { name: 'a selector', reply: redis7({ selectors: [['commands', '+@all']] }), known: applied, drift: 'differs' },
    { name: 'more commands than applied', reply: redis7({ commands: '-@all +@transaction +@hash -hkeys +zrevrange +get +set +flushall' }), known: applied, drift: 'differs' },
    { name: 'Redis 6.2 shape, as applied there', reply: redis62, known: readAclUser(redis62)!, drift: 'matches' },
  ])('$name: $drift', ({ reply, known, drift }) => {
    expect(aclUserDrift(readAclUser(reply), expected, known)).toBe(drift);
  });
});
