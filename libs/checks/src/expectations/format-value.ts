import { MAX_MATCHED_VALUE_CHARS } from '../spec/spec-limits';

/** Shows a JSON value the way a person reads it in a verdict: strings quoted, long values cut. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  return truncate(boundedJson(value, 201), 200);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * What `contains` and `matches` look at of a header or JSON value: its first characters (or
 * items). A target chooses its values; 32 assertions over one huge value would cost more than
 * the whole body.
 */
export function valueWindow(text: string): string {
  return text.length <= MAX_MATCHED_VALUE_CHARS ? text : text.slice(0, MAX_MATCHED_VALUE_CHARS);
}

/**
 * `JSON.stringify(value)`, stopped soon after `limit` characters: a verdict shows 200 of them,
 * and the value may be a whole megabyte document (`$`) that would be serialised for nothing.
 */
function boundedJson(value: unknown, limit: number): string {
  const parts: string[] = [];
  let length = 0;
  const push = (text: string): void => {
    parts.push(text);
    length += text.length;
  };
  const walk = (item: unknown): void => {
    if (typeof item === 'string') {
      push(JSON.stringify(item.length > limit ? item.slice(0, limit) : item));
    } else if (item === null || typeof item !== 'object') {
      push(JSON.stringify(item) ?? 'null');
    } else if (Array.isArray(item)) {
      push('[');
      for (let i = 0; i < item.length && length <= limit; i++) {
        if (i > 0) push(',');
        walk(item[i]);
      }
      push(']');
    } else {
      push('{');
      let first = true;
      for (const key in item) {
        if (length > limit) break;
        if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
        const field = (item as Record<string, unknown>)[key];
        if (field === undefined) continue;
        push(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        walk(field);
      }
      push('}');
    }
  };
  walk(value);
  return parts.join('');
}

/** Deep equality over JSON values (the expected side is a scalar or an array of scalars). */
export function jsonValueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonValueEquals(item, b[index]));
  }
  return false;
}
