/** Narrowing of untrusted JSON (a preview's payload) without trusting its shape. */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value[key]` when it is a string, else `null`. */
export function stringAt(value: JsonObject, key: string): string | null {
  const found = value[key];
  return typeof found === 'string' ? found : null;
}

/** `value[key]` when it is an array, else `[]`. */
export function arrayAt(value: JsonObject, key: string): readonly unknown[] {
  const found = value[key];
  return Array.isArray(found) ? found : [];
}

/** A payload as indented JSON, for the raw view beside a rendering. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}
