import { hash } from 'node:crypto';
import { compileMonitorSpec, specHashOf, type CompiledSpec } from '@crosscheck/checks';

/** Compiled specs an agent keeps by default: a region's monitors, with room for their changes. */
export const DEFAULT_SPEC_CACHE_ENTRIES = 1_000;

/**
 * Compiled specs by a hash of the spec's text, so a monitor checked every few seconds compiles
 * its regular expressions and JSON paths once per change, not every round. Bounded (least
 * recently used goes first): an agent runs for months and monitors change. Only the hash and the
 * compiled spec are kept, never the text, so the cache costs its entries and nothing more; a spec
 * is at most `MAX_MONITOR_JSON_BYTES`, and one the budget refuses is refused before compiling.
 */
export class CompiledSpecCache {
  private readonly entries = new Map<string, CompiledEntry>();

  constructor(private readonly capacity = DEFAULT_SPEC_CACHE_ENTRIES) {}

  /** The compiled spec; compiles on a miss. Throws `MonitorSpecError` for an invalid spec (never cached). */
  get(spec: unknown): CompiledSpec {
    return this.entry(spec).compiled;
  }

  /**
   * The compiled spec with the hash its baseline is learned under (`specHashOf`), both computed once
   * per spec change. Throws `MonitorSpecError` for an invalid spec (never cached).
   */
  entry(spec: unknown): CompiledEntry {
    const key = specKey(spec);
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to mark it most recently used: a Map iterates in insertion order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const entry: CompiledEntry = { compiled: compileMonitorSpec(spec), specHash: specHashOf(spec as Record<string, unknown>) };
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A compiled spec and the hash its baseline is learned under. */
export interface CompiledEntry {
  compiled: CompiledSpec;
  specHash: string;
}

/**
 * SHA-256 of the spec's JSON text. The coordinator writes a monitor's spec the same way into
 * every check job, so one monitor's jobs share one key and a changed spec gets a new one.
 */
export function specKey(spec: unknown): string {
  // One-shot `hash` rather than createHash().update().digest(): a third of the CPU, once per check.
  return hash('sha256', JSON.stringify(spec) ?? 'null', 'base64url');
}
