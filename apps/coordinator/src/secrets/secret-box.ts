import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Length of an AES-256 key in bytes. */
export const SECRETS_KEY_BYTES = 32;

/** A sealed value that cannot be opened: wrong key, altered bytes, or not a sealed value at all. */
export class SecretOpenError extends Error {
  constructor(reason: string) {
    super(`cannot open sealed secret: ${reason}`);
    this.name = 'SecretOpenError';
  }
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts secrets at rest (webhook signing secrets, secret monitor headers) with AES-256-GCM.
 *
 * A sealed value is `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts), where `keyId` is the
 * first 8 hex digits of SHA-256 of the key: values sealed under a previous key still open while
 * it is listed in `previous`, and {@link needsReseal} tells which ones to write again under the
 * current key (the documented rotation path: new `SECRETS_KEY`, old one in `SECRETS_KEY_PREVIOUS`).
 */
export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  /** `current` and `previous` are 32-byte keys (already decoded from base64). */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== SECRETS_KEY_BYTES) throw new RangeError(`a secrets key must be ${SECRETS_KEY_BYTES} bytes, got ${key.length}`);
      this.keys.set(keyIdOf(key), key);
    }
    this.current = { id: keyIdOf(current), key: current };
  }

  /** Encrypts `plaintext` under the current key, with a fresh random IV. */
  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, b64(iv), b64(ciphertext), b64(cipher.getAuthTag())].join('.');
  }

  /** Decrypts a value from {@link seal}; throws {@link SecretOpenError} when it cannot. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretOpenError('not a sealed value');
    const [, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new SecretOpenError(`sealed under key ${keyId}, which is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS`);
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new SecretOpenError('malformed iv or tag');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes);
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretOpenError('authentication failed (altered value or wrong key)');
    }
  }

  /** Whether `value` looks like the output of {@link seal} (any key). */
  static isSealed(value: string): boolean {
    return /^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(value);
  }

  /** Whether `sealed` was sealed under a key other than the current one, and should be written again. */
  needsReseal(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** A fresh random key, base64 (what `openssl rand -base64 32` prints): for tests and the demo. */
export function generateSecretsKey(): string {
  return randomBytes(SECRETS_KEY_BYTES).toString('base64');
}

/**
 * Decodes a base64 `SECRETS_KEY`; `null` when it is not base64 of exactly 32 bytes.
 * (Node's base64 decoder skips junk, so the text is checked before it is decoded.)
 */
export function decodeSecretsKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && !/^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  return bytes.length === SECRETS_KEY_BYTES ? bytes : null;
}
