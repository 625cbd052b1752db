/** A parsed JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lower-case key -> key as written (first one wins), so `Status` and `status` read alike. */
export function lowerCaseKeys(object: JsonObject): Map<string, string> {
  const keys = new Map<string, string>();
  for (const key of Object.keys(object)) {
    const lower = key.toLowerCase();
    if (!keys.has(lower)) keys.set(lower, key);
  }
  return keys;
}

/**
 * The key of `object` that reads as `lowerName` in lower case, the first one written when several
 * do (as {@link lowerCaseKeys} would give): for the few lookups made on each small object of a
 * document, without building a map per object.
 */
export function keyOf(object: JsonObject, lowerName: string): string | undefined {
  for (const key in object) {
    if (key.length === lowerName.length && (key === lowerName || key.toLowerCase() === lowerName) && Object.hasOwn(object, key)) return key;
  }
  return undefined;
}
