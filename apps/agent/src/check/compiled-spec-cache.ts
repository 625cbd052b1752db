import { createHash } from 'node:crypto';
import { compileMonitorSpec, type CompiledSpec } from '@crosscheck/checks';

/**
 * Compiled specs by a stable hash of the spec as written, so a monitor checked every few seconds
 * compiles its regular expressions and JSON paths once, not every round. Bounded (least recently
 * used goes first): an agent runs for months and monitors change.
 */
export class CompiledSpecCache {
  private readonly entries = new Map<string, CompiledSpec>();
  /** The spec's JSON as it arrived -> its stable hash: the same monitor's jobs skip the hashing. */
  private readonly keysByText = new Map<string, string>();

  constructor(private readonly capacity = 1_000) {}

  /** The compiled spec; compiles on a miss. Throws `MonitorSpecError` for an invalid spec (never cached). */
  get(spec: unknown): CompiledSpec {
    const key = this.keyOf(spec);
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark it most recently used: a Map iterates in insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const compiled = compileMonitorSpec(spec);
    this.entries.set(key, compiled);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return compiled;
  }

  private keyOf(spec: unknown): string {
    const text = JSON.stringify(spec) ?? 'null';
    const known = this.keysByText.get(text);
    if (known !== undefined) return known;
    const key = stableHash(spec);
    // Bounded like the entries; several spellings of one spec may share a hash.
    if (this.keysByText.size >= this.capacity * 2) this.keysByText.clear();
    this.keysByText.set(text, key);
    return key;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** SHA-256 of the value's JSON with object keys sorted, so key order does not change the hash. */
export function stableHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
