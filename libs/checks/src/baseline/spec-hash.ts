import { createHash } from 'node:crypto';
import { monitorSpecSchema } from '../spec/monitor-spec.schema';

/**
 * The fields of a monitor spec that change what its healthy answer should be. Intervals,
 * timeouts, detectors and the baseline settings themselves do not: changing them keeps what
 * was learned.
 */
const ANSWER_FIELDS = ['url', 'method', 'headers', 'body', 'expect'] as const;

/**
 * A short hash of the spec fields that decide what the response should be (url, method,
 * headers, body, expect), stable over key order: the baseline learned under one spec is
 * dropped when it changes. A spec as the user wrote it, the parsed spec and the compiled spec
 * hash alike, because defaults are applied before hashing when the fields parse.
 */
export function specHashOf(spec: Readonly<Record<string, unknown>>): string {
  const picked: Record<string, unknown> = {};
  for (const field of ANSWER_FIELDS) if (spec[field] !== undefined) picked[field] = spec[field];
  const parsed = monitorSpecSchema.safeParse(picked);
  const answer: Record<string, unknown> = {};
  const source: Readonly<Record<string, unknown>> = parsed.success ? parsed.data : picked;
  for (const field of ANSWER_FIELDS) if (source[field] !== undefined) answer[field] = source[field];
  return createHash('sha256').update(canonicalJson(answer)).digest('hex').slice(0, 16);
}

/** JSON with every object's keys sorted, so `{a, b}` and `{b, a}` write the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
