import { RE2Set, type RE2JS } from 're2js';
import type { z } from 'zod';
import { JsonPathSyntaxError, parseJsonPath } from '../json/json-path';
import type { Expectation } from './expectation';
import { monitorSpecSchema, type MonitorSpec } from './monitor-spec.schema';
import { compileRegexWithinBudget, RegexBudgetError } from './regex-budget';
import { parseResolveOverride, type ResolveOverride } from './resolve-override';
import { MAX_MONITOR_JSON_BYTES, MAX_SPEC_REGEX_PROGRAM_SIZE } from './spec-limits';
import { defaultStatusRanges, parseStatusEntry } from './status-range';

/**
 * Memory of the lazy DFA shared by a spec's body expressions, smaller than RE2JS's default 8 MiB:
 * enough for the costliest spec the budget allows on ordinary bodies (it needs ~140 KiB), and a
 * bound on the work before it gives up on a body made against it (see `matchBodyPatterns`).
 */
const BODY_PATTERNS_DFA_BYTES = 512 * 1024;

/** A spec with defaults applied and expectations compiled, ready to probe and evaluate many times. */
export interface CompiledSpec extends Omit<MonitorSpec, 'cacheBypass' | 'resolve'> {
  /** Whether the probe makes a cache-bypassing second request (resolved from the method when unset). */
  cacheBypass: boolean;
  resolve: ResolveOverride[];
  expectations: Expectation[];
  /**
   * Every `body.matches` and `body.notMatches` expression in one set, matched in one pass over the
   * body (each expectation names its `setIndex`): the cost of a pass is per character, whatever
   * the number of expressions. `null` when the spec has none.
   */
  bodyPatterns: RE2Set | null;
}

/** One problem with a spec, with the dotted path of the field at fault (`expect.json.0.path`). */
export interface SpecIssue {
  path: string;
  message: string;
}

/** Thrown when a spec is invalid; `issues` names every field at fault. */
export class MonitorSpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(`invalid monitor spec: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'MonitorSpecError';
  }
}

/** Formats a zod path (`['expect', 'json', 0, 'path']`) as `expect.json.0.path`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function issuesFromZod(error: z.ZodError): SpecIssue[] {
  return error.issues.map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}

/**
 * Validates a spec as a user wrote it, applies defaults and compiles its expectations.
 * Throws {@link MonitorSpecError} listing every invalid field.
 */
export function compileMonitorSpec(input: unknown): CompiledSpec {
  // Checked before the schema reads it: a spec's cost is bounded from its size up.
  const bytes = Buffer.byteLength(JSON.stringify(input) ?? '', 'utf8');
  if (bytes > MAX_MONITOR_JSON_BYTES) {
    throw new MonitorSpecError([{ path: '', message: `the spec is ${bytes} bytes of JSON, more than the ${MAX_MONITOR_JSON_BYTES} allowed` }]);
  }
  const parsed = monitorSpecSchema.safeParse(input);
  if (!parsed.success) throw new MonitorSpecError(issuesFromZod(parsed.error));
  return compileParsedSpec(parsed.data);
}

/** Compiles a spec already validated by {@link monitorSpecSchema} (e.g. as part of a larger schema). */
export function compileParsedSpec(spec: MonitorSpec): CompiledSpec {
  const issues: SpecIssue[] = [];
  const expectations: Expectation[] = [];
  const budget: RegexBudget = { remaining: MAX_SPEC_REGEX_PROGRAM_SIZE };
  const compileRegex = (source: string, path: string): RE2JS | undefined => compileWithin(source, path, issues, budget);
  const bodySources: string[] = [];

  expectations.push({
    kind: 'status',
    explicit: spec.expect.status !== undefined,
    ranges: spec.expect.status
      ? spec.expect.status.map(parseStatusEntry)
      : defaultStatusRanges(spec.method, spec.followRedirects),
  });

  for (const text of spec.expect.body.contains) expectations.push({ kind: 'body.contains', text });
  for (const text of spec.expect.body.notContains) expectations.push({ kind: 'body.notContains', text });
  spec.expect.body.matches.forEach((source, index) => {
    const pattern = compileRegex(source, `expect.body.matches.${index}`);
    if (pattern) expectations.push({ kind: 'body.matches', pattern, source, setIndex: bodySources.push(source) - 1 });
  });
  spec.expect.body.notMatches.forEach((source, index) => {
    const pattern = compileRegex(source, `expect.body.notMatches.${index}`);
    if (pattern) expectations.push({ kind: 'body.notMatches', pattern, source, setIndex: bodySources.push(source) - 1 });
  });

  spec.expect.json.forEach((assertion, index) => {
    let path;
    try {
      path = parseJsonPath(assertion.path);
    } catch (error) {
      if (!(error instanceof JsonPathSyntaxError)) throw error;
      issues.push({ path: `expect.json.${index}.path`, message: error.message });
      return;
    }
    const pattern =
      assertion.op === 'matches' && typeof assertion.value === 'string'
        ? compileRegex(assertion.value, `expect.json.${index}.value`)
        : undefined;
    if (assertion.op === 'matches' && !pattern) return;
    expectations.push({ kind: 'json', path, op: assertion.op, value: assertion.value, ...(pattern ? { pattern } : {}) });
  });

  spec.expect.headers.forEach((assertion, index) => {
    const pattern =
      assertion.op === 'matches' && assertion.value !== undefined
        ? compileRegex(assertion.value, `expect.headers.${index}.value`)
        : undefined;
    if (assertion.op === 'matches' && !pattern) return;
    expectations.push({
      kind: 'header',
      name: assertion.name.toLowerCase(),
      op: assertion.op,
      ...(assertion.value !== undefined ? { value: assertion.value } : {}),
      ...(pattern ? { pattern } : {}),
    });
  });

  const { degradedMs, downMs } = spec.expect.latency;
  expectations.push({ kind: 'latency', degradedMs, ...(downMs !== undefined ? { downMs } : {}) });

  const resolve: ResolveOverride[] = [];
  spec.resolve.forEach((entry, index) => {
    try {
      resolve.push(parseResolveOverride(entry));
    } catch (error) {
      issues.push({ path: `resolve.${index}`, message: (error as Error).message });
    }
  });

  if (issues.length > 0) throw new MonitorSpecError(issues);
  return {
    ...spec,
    cacheBypass: spec.cacheBypass ?? (spec.method === 'GET' || spec.method === 'HEAD'),
    resolve,
    expectations,
    bodyPatterns: bodySources.length > 0 ? bodyPatternSet(bodySources) : null,
  };
}

/** What is left of a spec's budget of RE2 instructions for all its expressions. */
interface RegexBudget {
  remaining: number;
}

function compileWithin(source: string, path: string, issues: SpecIssue[], budget: RegexBudget): RE2JS | undefined {
  try {
    const { pattern, size } = compileRegexWithinBudget(source, budget.remaining);
    budget.remaining -= size;
    return pattern;
  } catch (error) {
    if (!(error instanceof RegexBudgetError)) throw error;
    issues.push({ path, message: error.message });
    return undefined;
  }
}

/** The body expressions as one set; each compiled alone already, so within the budget together. */
function bodyPatternSet(sources: readonly string[]): RE2Set {
  const set = new RE2Set(RE2Set.UNANCHORED, 0, BODY_PATTERNS_DFA_BYTES);
  for (const source of sources) set.add(source);
  set.compile();
  return set;
}
