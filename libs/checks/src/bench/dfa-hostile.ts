/**
 * Body expressions and a body made against them: the expressions' lazy DFA needs a new state
 * for nearly every character of the body (`a[ab]{n}[^ab]` over random a/b text), the one shape
 * the program-size budget does not make cheap. For tests and `bench:evaluate`.
 */
export function dfaHostilePatterns(count = 32): string[] {
  return Array.from({ length: count }, (_, i) => `a[ab]{${12 + (i % 9)}}[^ab]x${i}|b[ab]{${14 + (i % 7)}}[^ab]`);
}

/** `length` characters of a and b, pseudo-random (xorshift32, fixed seed: the same text every time). */
export function dfaHostileBody(length: number): string {
  const letters: string[] = [];
  for (let i = 0, state = 0x2545f491; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    letters.push(state & 1 ? 'a' : 'b');
  }
  return letters.join('');
}
