import { RE2JS } from 're2js';
import { MAX_REGEX_PROGRAM_SIZE, MAX_SPEC_REGEX_PROGRAM_SIZE } from './spec-limits';

/**
 * A rough upper bound of the RE2 program a regular expression compiles to, read from its source
 * without compiling it. Compiling is what costs (milliseconds per thousand instructions, in pure
 * JavaScript), and counted repetitions multiply: `(?:[a-z]{1,1000})` is 13 characters and 2,000
 * instructions. The estimate lets a spec refuse such a pattern before paying for it; the compiled
 * program's real size is checked afterwards all the same.
 *
 * It follows RE2's own accounting loosely: a literal or a class is one instruction, `x*` adds
 * two, `x+` and `x?` one, `x{n,m}` repeats `x` m times (plus one per optional copy), a group adds
 * its alternatives and its capture.
 */
export function estimateRegexProgramSize(source: string): number {
  const stack: Frame[] = [newFrame()];
  let i = 0;
  const top = (): Frame => stack[stack.length - 1] as Frame;
  const atom = (size: number): void => {
    const frame = top();
    frame.branch += size;
    frame.last = size;
  };
  const quantify = (size: number): void => {
    const frame = top();
    frame.branch += size - frame.last;
    frame.last = size;
  };

  while (i < source.length) {
    const char = source[i] as string;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (next === 'Q') {
        // \Q...\E: a literal run, one instruction per character.
        const end = source.indexOf('\\E', i + 2);
        const literal = end < 0 ? source.slice(i + 2) : source.slice(i + 2, end);
        for (let k = 0; k < literal.length; k++) atom(1);
        i = end < 0 ? source.length : end + 2;
        continue;
      }
      if ((next === 'p' || next === 'P' || next === 'x') && source[i + 2] === '{') {
        const close = source.indexOf('}', i + 3);
        i = close < 0 ? source.length : close + 1;
      } else if (next === 'p' || next === 'P') {
        i += 3;
      } else {
        i += 2;
      }
      atom(1);
      continue;
    }
    if (char === '[') {
      i = endOfClass(source, i);
      atom(1);
      continue;
    }
    if (char === '(') {
      if (source.startsWith('(?', i) && /^\(\?[a-zA-Z-]*\)/.test(source.slice(i, i + 16))) {
        // A flag group such as `(?i)` applies to what follows and matches nothing itself.
        i = source.indexOf(')', i) + 1;
        continue;
      }
      stack.push(newFrame());
      i += 1;
      continue;
    }
    if (char === ')') {
      if (stack.length > 1) {
        const frame = stack.pop() as Frame;
        atom(frame.total + frame.branch + frame.alternatives + 2);
      }
      i += 1;
      continue;
    }
    if (char === '|') {
      const frame = top();
      frame.total += frame.branch;
      frame.branch = 0;
      frame.last = 0;
      frame.alternatives += 1;
      i += 1;
      continue;
    }
    if (char === '*' || char === '+' || char === '?') {
      quantify(top().last + (char === '*' ? 2 : 1));
      i += source[i + 1] === '?' ? 2 : 1;
      continue;
    }
    if (char === '{') {
      const counted = /^\{(\d{1,6})(,(\d{0,6}))?\}/.exec(source.slice(i, i + 16));
      if (counted) {
        const min = Number(counted[1]);
        const max = counted[2] === undefined ? min : counted[3] === '' ? -1 : Number(counted[3]);
        const last = Math.max(1, top().last);
        quantify(max === -1 ? Math.max(1, min) * last + 2 : Math.max(min, max, 1) * last + Math.max(0, max - min));
        i += counted[0].length;
        if (source[i] === '?') i += 1;
        continue;
      }
    }
    atom(1);
    i += 1;
  }
  while (stack.length > 1) {
    const frame = stack.pop() as Frame;
    atom(frame.total + frame.branch + frame.alternatives + 2);
  }
  const root = stack[0] as Frame;
  return root.total + root.branch + root.alternatives + 2;
}

interface Frame {
  /** Size of the alternatives already closed by `|`. */
  total: number;
  /** Size of the alternative being read. */
  branch: number;
  /** Size of the last atom, which a quantifier would repeat. */
  last: number;
  alternatives: number;
}

function newFrame(): Frame {
  return { total: 0, branch: 0, last: 0, alternatives: 0 };
}

/** Index just past the `]` closing the class opened at `start` (`[]a]`, `[^]a]`, `[[:alpha:]]`, escapes). */
function endOfClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i += 1;
  if (source[i] === ']') i += 1;
  while (i < source.length) {
    const char = source[i];
    if (char === '\\') {
      i += 2;
    } else if (char === '[' && source[i + 1] === ':') {
      const close = source.indexOf(':]', i + 2);
      i = close < 0 ? i + 1 : close + 2;
    } else if (char === ']') {
      return i + 1;
    } else {
      i += 1;
    }
  }
  return source.length;
}

/** Why a regular expression was refused: its syntax, or its size. */
export class RegexBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexBudgetError';
  }
}

/**
 * Compiles a regular expression (RE2 syntax, linear-time matching) within the program-size
 * budget. `remaining` is what is left of the spec's budget for all its expressions; the returned
 * size is what this one took of it. Throws {@link RegexBudgetError} with a message for the user.
 */
export function compileRegexWithinBudget(source: string, remaining: number): { pattern: RE2JS; size: number } {
  const limit = Math.min(MAX_REGEX_PROGRAM_SIZE, remaining);
  const estimate = estimateRegexProgramSize(source);
  // The estimate is loose in both directions (RE2 simplifies some forms, case folding adds to
  // others); only a clear excess is refused unseen, the compiled size decides the rest.
  if (estimate > 2 * limit) throw new RegexBudgetError(tooLarge(`expands to about ${estimate}`, limit, remaining));
  let pattern: RE2JS;
  try {
    pattern = RE2JS.compile(source);
  } catch (error) {
    throw new RegexBudgetError(`invalid regular expression: ${(error as Error).message}`);
  }
  const size = pattern.programSize();
  if (size > limit) throw new RegexBudgetError(tooLarge(`compiles to ${size}`, limit, remaining));
  return { pattern, size };
}

function tooLarge(what: string, limit: number, remaining: number): string {
  return remaining < MAX_REGEX_PROGRAM_SIZE
    ? `regular expression ${what} instructions, more than the ${remaining} left of the monitor's budget of ${MAX_SPEC_REGEX_PROGRAM_SIZE} for all its expressions (counted repetitions such as {1,500} multiply)`
    : `regular expression ${what} instructions, more than the ${limit} allowed (counted repetitions such as {1,500} multiply)`;
}
