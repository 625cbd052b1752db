import { RE2Set } from 're2js';
import type { BodyPatternMatches } from '../context/evaluation-context';

// The result's type is declared with the evaluation context (a leaf), which detectors read.
export type { BodyPatternMatches } from '../context/evaluation-context';

/**
 * The parts of RE2JS 2.10's set that this file uses beyond its public API: the set's lazy DFA,
 * which returns `null` when it gives up (its memory refilled too often for the progress made).
 * `RE2Set.match` then falls back to an NFA simulation, linear but at a cost per character that
 * grows with the expressions: 32 expressions made against a body built for them cost 7 s on
 * 256 KiB. The DFA alone gives up after a bounded amount of work instead.
 */
interface SetInternals {
  dfa?: {
    matchSet?: (input: Utf16Input, pos: number, anchor: number) => number[] | null;
    clearCache?: () => void;
    maxMem?: number;
    memBudget?: number;
  };
}

/**
 * DFA states kept between passes, at most. Building them is most of a pass's cost for the
 * costliest spec the budget allows (14 states, 140 KiB, ~30 ms to build), so they are kept; an
 * agent holds a thousand compiled specs, so not without bound.
 */
export const RETAINED_DFA_BYTES = 256 * 1024;

/** Matches every body expression of a spec over `body` in one pass. */
export function matchBodyPatterns(set: RE2Set, body: string): BodyPatternMatches {
  const dfa = (set as unknown as SetInternals).dfa;
  if (typeof dfa?.matchSet !== 'function' || typeof dfa.clearCache !== 'function') {
    // Not the RE2JS this was written against: the public path, without the bound.
    return { kind: 'matched', indexes: new Set(set.match(body)) };
  }
  let indexes: number[] | null = null;
  try {
    indexes = dfa.matchSet(new Utf16Input(body), 0, RE2Set.UNANCHORED);
  } finally {
    const used = (dfa.maxMem ?? 0) - (dfa.memBudget ?? 0);
    if (indexes === null || !(used <= RETAINED_DFA_BYTES)) dfa.clearCache();
  }
  return indexes === null ? { kind: 'too_costly' } : { kind: 'matched', indexes: new Set(indexes) };
}

/** RE2 `EmptyOp` flags, as RE2JS numbers them. */
const BEGIN_LINE = 1;
const END_LINE = 2;
const BEGIN_TEXT = 4;
const END_TEXT = 8;
const WORD_BOUNDARY = 16;
const NO_WORD_BOUNDARY = 32;
/** What `step` returns past the end: rune -1, width 0. */
const EOF = -8;

function isWordRune(r: number): boolean {
  return (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122) || r === 95;
}

/**
 * A UTF-16 string as the RE2JS DFA reads its input (RE2JS's own `MachineInput` is not exported):
 * `step` gives `rune << 3 | width`, `context` the empty-width flags between two positions.
 */
export class Utf16Input {
  constructor(private readonly text: string) {}

  endPos(): number {
    return this.text.length;
  }

  step(pos: number): number {
    const text = this.text;
    if (pos >= text.length) return EOF;
    const high = text.charCodeAt(pos);
    if (high < 0xd800 || high > 0xdbff || pos + 1 >= text.length) return (high << 3) | 1;
    const low = text.charCodeAt(pos + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return (((high - 0xd800) * 1024 + (low - 0xdc00) + 0x10000) << 3) | 2;
    return (high << 3) | 1;
  }

  context(pos: number): number {
    const text = this.text;
    const before = pos > 0 && pos <= text.length ? text.charCodeAt(pos - 1) : -1;
    const after = pos < text.length ? text.charCodeAt(pos) : -1;
    let flags = 0;
    if (before < 0) flags |= BEGIN_TEXT | BEGIN_LINE;
    if (before === 10) flags |= BEGIN_LINE;
    if (after < 0) flags |= END_TEXT | END_LINE;
    if (after === 10) flags |= END_LINE;
    flags |= isWordRune(before) !== isWordRune(after) ? WORD_BOUNDARY : NO_WORD_BOUNDARY;
    return flags;
  }
}
