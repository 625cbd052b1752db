/**
 * FNV-1a over the UTF-16 code units of a text, kept to 52 bits so it fits a double exactly:
 * a fast, non-cryptographic fingerprint of a body, enough to tell "the same bytes again" from
 * "new content" round after round. Not for anything an attacker may choose to collide.
 *
 * The 64-bit FNV prime is 2^40 + 435; the state is kept in four 16-bit limbs (the top one
 * 4 bits wide) so every product stays exact in a double.
 */
export function fnv1a52(text: string): number {
  // The 64-bit offset basis 0xcbf29ce484222325 kept to 52 bits, limb by limb: products mod 2^52
  // depend only on the low 52 bits, so this is FNV-1a 64 masked to 52.
  let v0 = 0x2325;
  let v1 = 0x8422;
  let v2 = 0x9ce4;
  let v3 = 0xcbf2 & 0xf;
  for (let i = 0; i < text.length; i++) {
    v0 ^= text.charCodeAt(i);
    const t0 = v0 * 435;
    let t1 = v1 * 435;
    let t2 = v2 * 435;
    let t3 = v3 * 435;
    t2 += v0 << 8;
    t3 += v1 << 8;
    t1 += t0 >>> 16;
    v0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    v1 = t1 & 0xffff;
    v3 = (t3 + (t2 >>> 16)) & 0xf;
    v2 = t2 & 0xffff;
  }
  return v3 * 2 ** 48 + v2 * 2 ** 32 + v1 * 2 ** 16 + v0;
}

/** {@link fnv1a52} as 13 lower-case hex digits (zero-padded). */
export function bodyHashOf(body: string): string {
  return fnv1a52(body).toString(16).padStart(13, '0');
}
