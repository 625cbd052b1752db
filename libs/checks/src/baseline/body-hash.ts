/**
 * A 52-bit hash of a text's UTF-16 code units, kept to 52 bits so it fits a double exactly: a
 * fast, non-cryptographic fingerprint of a body, enough to tell "the same bytes again" from
 * "new content" round after round. Not for anything an attacker may choose to collide.
 *
 * Two 32-bit lanes over each code unit, both on `Math.imul` (a native 32-bit multiply, where the
 * 64-bit FNV needed four 16-bit limbs in doubles): FNV-1a 32 ({@link fnv1a32}, the high 32 bits),
 * and a second FNV-1a-style lane with MurmurHash2's multiplier and Murmur3's final mix (the low
 * 20 bits). The lanes multiply by unrelated constants, so a pair of bodies colliding in one
 * rarely collides in the other.
 */
export function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
  }
  b ^= b >>> 16;
  b = Math.imul(b, 0x85ebca6b);
  b ^= b >>> 13;
  return (a >>> 0) * 2 ** 20 + (b >>> 12);
}

/** FNV-1a 32 of a text's UTF-16 code units (for ASCII text, FNV-1a 32 of its bytes): {@link hash52}'s first lane. */
export function fnv1a32(text: string): number {
  let a = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) a = Math.imul(a ^ text.charCodeAt(i), 0x01000193);
  return a >>> 0;
}

/** {@link hash52} as 13 lower-case hex digits (zero-padded). */
export function bodyHashOf(body: string): string {
  return hash52(body).toString(16).padStart(13, '0');
}
