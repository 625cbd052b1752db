/** What a secret value is shown as in a list of changes: its value never leaves the server. */
export const REDACTED_CHANGE = '[redacted]';

/**
 * Fields a resource carries that no one writes: its identity and its bookkeeping. They differ
 * between any two versions and say nothing about what a change does.
 */
export const DOCUMENT_METADATA_FIELDS: readonly string[] = ['id', 'revision', 'createdAt', 'updatedAt'];

/**
 * One leaf that differs between two JSON documents, by dotted path (`spec.expect.json.0.value`;
 * array elements by index). `before` is absent when the old document has no value there (an
 * added field), `after` when the new one has none (a removed field).
 */
export interface DocumentChange {
  path: string;
  before?: unknown;
  after?: unknown;
  /** The field is a secret: `before`/`after` are {@link REDACTED_CHANGE}, never the values. */
  secret?: true;
}

/** How {@link documentChanges} reads the two documents. */
export interface DocumentChangesOptions {
  /** Top-level fields left out of the comparison (default {@link DOCUMENT_METADATA_FIELDS}). */
  ignore?: readonly string[];
  /** Whether the leaf at `path` is a secret (its change is listed with values redacted). */
  isSecret?: (path: string) => boolean;
}

type Node = { kind: 'absent' } | { kind: 'leaf'; value: unknown } | { kind: 'array'; value: unknown[] } | { kind: 'object'; value: Record<string, unknown> };

/**
 * The leaf-by-leaf changes that turn `before` into `after` (two JSON documents; `undefined` for a
 * document that does not exist, so that a create lists every field). Objects are compared member
 * by member and arrays index by index; an empty object or array counts as a leaf. Where a value
 * changes kind (a scalar becomes an object), the old leaves are listed as removed and the new ones
 * as added, one entry per path. Pure; listed in the order of `after`, then what only `before` has.
 */
export function documentChanges(before: unknown, after: unknown, options: DocumentChangesOptions = {}): DocumentChange[] {
  const ignore = new Set(options.ignore ?? DOCUMENT_METADATA_FIELDS);
  const changes: DocumentChange[] = [];
  walk(withoutFields(before, ignore), withoutFields(after, ignore), '', changes);
  const isSecret = options.isSecret;
  if (!isSecret) return changes;
  return changes.map((change) => (isSecret(change.path) ? redacted(change) : change));
}

function walk(before: unknown, after: unknown, path: string, changes: DocumentChange[]): void {
  const old = nodeOf(before);
  const next = nodeOf(after);
  if (old.kind === 'array' && next.kind === 'array' && (old.value.length > 0 || next.value.length > 0)) {
    const length = Math.max(old.value.length, next.value.length);
    for (let index = 0; index < length; index++) {
      walk(index < old.value.length ? old.value[index] : undefined, index < next.value.length ? next.value[index] : undefined, join(path, String(index)), changes);
    }
    return;
  }
  if (old.kind === 'object' && next.kind === 'object' && (Object.keys(old.value).length > 0 || Object.keys(next.value).length > 0)) {
    const keys = [...Object.keys(next.value), ...Object.keys(old.value).filter((key) => !Object.hasOwn(next.value, key))];
    for (const key of keys) {
      walk(Object.hasOwn(old.value, key) ? old.value[key] : undefined, Object.hasOwn(next.value, key) ? next.value[key] : undefined, join(path, key), changes);
    }
    return;
  }
  if (sameLeaf(old, next)) return;
  // A change of kind, an addition, a removal, or two different leaves: every leaf on each side.
  const removed = leavesOf(before, path);
  const added = leavesOf(after, path);
  for (const [leafPath, value] of added) {
    changes.push(removed.has(leafPath) ? { path: leafPath, before: removed.get(leafPath), after: value } : { path: leafPath, after: value });
  }
  for (const [leafPath, value] of removed) if (!added.has(leafPath)) changes.push({ path: leafPath, before: value });
}

/** The leaves of a value by path (an empty container is a leaf); none for `undefined`. */
function leavesOf(value: unknown, path: string, into = new Map<string, unknown>()): Map<string, unknown> {
  const node = nodeOf(value);
  if (node.kind === 'array' && node.value.length > 0) node.value.forEach((item, index) => leavesOf(item, join(path, String(index)), into));
  else if (node.kind === 'object' && Object.keys(node.value).length > 0) for (const [key, item] of Object.entries(node.value)) leavesOf(item, join(path, key), into);
  else if (node.kind !== 'absent') into.set(path, node.value);
  return into;
}

function nodeOf(value: unknown): Node {
  if (value === undefined) return { kind: 'absent' };
  if (Array.isArray(value)) return { kind: 'array', value };
  if (typeof value === 'object' && value !== null) return { kind: 'object', value: value as Record<string, unknown> };
  return { kind: 'leaf', value };
}

/** Whether two nodes are the same leaf: equal scalars, two empty arrays, two empty objects, or both absent. */
function sameLeaf(a: Node, b: Node): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'absent') return true;
  if (a.kind === 'leaf' && b.kind === 'leaf') return Object.is(a.value, b.value);
  // Two containers of one kind reach here only when both are empty.
  return true;
}

function withoutFields(document: unknown, ignore: ReadonlySet<string>): unknown {
  if (typeof document !== 'object' || document === null || Array.isArray(document) || ignore.size === 0) return document;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    if (!ignore.has(key)) Object.defineProperty(kept, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return kept;
}

function redacted(change: DocumentChange): DocumentChange {
  return {
    path: change.path,
    ...('before' in change ? { before: REDACTED_CHANGE } : {}),
    ...('after' in change ? { after: REDACTED_CHANGE } : {}),
    secret: true,
  };
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
