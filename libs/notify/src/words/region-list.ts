/** Longest list of names written out before the rest is counted ("and 7 more"). */
const NAMED = 5;

/** `eu-west`, `eu-west and us-east`, `ap-south, eu-west and us-east`, `a, b, c, d, e and 7 more`. */
export function listWords(names: readonly string[], max = NAMED): string {
  if (names.length === 0) return '';
  if (names.length === 1) return names[0]!;
  if (names.length > max) return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
