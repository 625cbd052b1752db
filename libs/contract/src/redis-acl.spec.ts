import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aclFileOf, aclPasswordHash, coordinatorAclRule, defaultUserOffRule, regionAclRule, regionAclRuleOfHash, regionAclUser } from './redis-acl';

const PASSWORD = 'a-long-enough-secret';

describe('regionAclRule', () => {
  const rule = regionAclRule('eu-west', PASSWORD);

  it('resets the region’s user, fences its keys to the region and gives it no channel', () => {
    expect(rule.slice(0, 7)).toEqual(['agent-eu-west', 'reset', 'on', `>${PASSWORD}`, '~cc:r:{eu-west}:*', 'resetchannels', '-@all']);
    expect(rule.filter((part) => part.startsWith('~') || part.startsWith('%') || part.startsWith('&'))).toEqual(['~cc:r:{eu-west}:*']);
    expect(rule).not.toContain('allkeys');
    expect(rule).not.toContain('allchannels');
  });

  it('allows commands one by one, never a category', () => {
    const grants = rule.slice(7);
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) expect(grant).toMatch(/^\+[a-z]+(\|[a-z]+)?$/);
  });

  it.each([
    'scan', 'keys', 'randomkey', 'dbsize', 'info', 'client', 'client|tracking', 'client|list', 'client|kill', 'client|info',
    'function', 'fcall', 'script', 'script|kill', 'script|flush', 'monitor', 'debug', 'config', 'pubsub', 'subscribe',
    'psubscribe', 'ssubscribe', 'publish', 'object', 'memory', 'command', 'flushall', 'flushdb', 'swapdb', 'sort', 'acl', 'module', 'wait',
  ])('does not allow %s', (command) => {
    expect(rule).not.toContain(`+${command}`);
  });

  it('names users agent-<region> and refuses what is not a region', () => {
    expect(regionAclUser('onprem-dc1')).toBe('agent-onprem-dc1');
    expect(() => regionAclRule('eu west', PASSWORD)).toThrow();
    expect(() => regionAclRule('*', PASSWORD)).toThrow();
  });

  it.each([['short'], ['has a space in it, long enough'], ['tab\tin-the-middle-of-it'], ['']])('refuses the password %j', (password) => {
    expect(() => regionAclRule('eu-west', password)).toThrow(/at least 16 printable ASCII characters, without spaces/);
  });
});

describe('regionAclRuleOfHash', () => {
  it('is regionAclRule with the password as its SHA-256', () => {
    const hash = aclPasswordHash(PASSWORD);
    expect(hash).toBe(createHash('sha256').update(PASSWORD).digest('hex'));
    const rule = regionAclRuleOfHash('eu-west', hash);
    expect(rule).toEqual(regionAclRule('eu-west', PASSWORD).map((part) => (part === `>${PASSWORD}` ? `#${hash}` : part)));
    expect(rule.join(' ')).not.toContain(PASSWORD);
  });

  it.each(['', 'abc', 'Z'.repeat(64), `${'a'.repeat(64)} on`])('refuses the hash %j', (hash) => {
    expect(() => regionAclRuleOfHash('eu-west', hash)).toThrow(/64 lower-case hex digits/);
  });
});

describe('aclFileOf', () => {
  it('writes one user line per rule, with passwords as SHA-256, never in clear', () => {
    const file = aclFileOf([defaultUserOffRule(), coordinatorAclRule(PASSWORD), regionAclRule('eu-west', PASSWORD)]);
    const hash = createHash('sha256').update(PASSWORD).digest('hex');
    const lines = file.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('user default reset off ~* &* +@all');
    expect(lines[1]).toBe(`user coordinator reset on #${hash} ~* &* +@all`);
    expect(lines[2]).toMatch(new RegExp(`^user agent-eu-west reset on #${hash} ~cc:r:\\{eu-west\\}:\\* resetchannels -@all \\+`));
    expect(file).not.toContain(PASSWORD);
  });
});

describe('the README', () => {
  it('shows the rule regionAclRule makes, as it makes it', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(['ACL', 'SETUSER', ...regionAclRule('eu-west', '<eu-west-password>')].join(' '));
  });
});
