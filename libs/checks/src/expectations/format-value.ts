/** Shows a JSON value the way a person reads it in a verdict: strings quoted, long values cut. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return truncate(text, 200);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Deep equality over JSON values (the expected side is a scalar or an array of scalars). */
export function jsonValueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonValueEquals(item, b[index]));
  }
  return false;
}
