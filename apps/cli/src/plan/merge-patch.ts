/**
 * The JSON merge patch (RFC 7396) that turns `before` into `after`, two JSON documents: members
 * that differ, recursively for objects on both sides; `null` for a member `after` lacks; arrays
 * and scalars whole. Undefined when there is nothing to change. Pure.
 */
export function mergePatchOf(before: unknown, after: unknown): unknown {
  if (!isObject(before) || !isObject(after)) return sameJson(before, after) ? undefined : after;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (!Object.hasOwn(before, key)) patch[key] = value;
    else {
      const member = mergePatchOf(before[key], value);
      if (member !== undefined) patch[key] = member;
    }
  }
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patch[key] = null;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
