import { setOwnProperty } from '../http/own-property';

/**
 * Applies a JSON Merge Patch (RFC 7396) to `target`: objects merge member by member, `null`
 * removes a member, anything else (arrays included) replaces. Pure; `target` is not changed.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: Record<string, unknown> = {};
  if (isPlainObject(target)) {
    for (const [key, value] of Object.entries(target)) {
      if (!(Object.hasOwn(patch, key) && patch[key] === null)) setOwnProperty(result, key, value);
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    if (value !== null) setOwnProperty(result, key, applyMergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value));
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
