import { describe, expect, it } from 'vitest';
import { decodeSecretsKey, generateSecretsKey, SecretBox, SecretOpenError } from './secret-box';

const key = (fill: number) => Buffer.alloc(32, fill);

describe('SecretBox', () => {
  it('seals with a fresh IV and opens what it sealed', () => {
    const box = new SecretBox(key(1));
    const a = box.seal('whsec_abc');
    const b = box.seal('whsec_abc');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec_abc');
    expect(SecretBox.isSealed(a)).toBe(true);
    expect(box.open(a)).toBe('whsec_abc');
    expect(box.open(box.seal(''))).toBe('');
  });

  it('refuses altered values, unknown keys and plain text', () => {
    const box = new SecretBox(key(1));
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other!').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(SecretOpenError);
    expect(() => new SecretBox(key(2)).open(sealed)).toThrow(/neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS/);
    expect(() => box.open('secret')).toThrow(/not a sealed value/);
    expect(SecretBox.isSealed('secret')).toBe(false);
  });

  it('opens values of a previous key during rotation and says they need resealing', () => {
    const old = new SecretBox(key(1));
    const sealed = old.seal('x');
    const rotated = new SecretBox(key(2), [key(1)]);
    expect(rotated.open(sealed)).toBe('x');
    expect(rotated.needsReseal(sealed)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('x'))).toBe(false);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('decodeSecretsKey', () => {
  it.each([
    ['a generated key', generateSecretsKey(), true],
    ['base64url of 32 bytes', key(250).toString('base64url'), true],
    ['16 bytes', Buffer.alloc(16).toString('base64'), false],
    ['not base64', 'this is not a key at all, no!', false],
    ['empty', '', false],
  ])('%s', (_label, text, ok) => {
    expect(decodeSecretsKey(text) !== null).toBe(ok);
  });
});
