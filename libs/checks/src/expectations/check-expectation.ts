import type { RE2JS } from 're2js';
import { lookupJsonPath } from '../json/json-path';
import type { EvaluationContext } from '../context/evaluation-context';
import type { Expectation } from '../spec/expectation';
import { MAX_MATCHED_VALUE_CHARS } from '../spec/spec-limits';
import { formatStatusRanges, statusInRanges } from '../spec/status-range';
import type { ExpectationResult } from '../verdict/verdict';
import { formatValue, jsonValueEquals, truncate } from './format-value';
import { isCredentialHeader } from '../redaction/credential-header';
import { REDACTED } from '../redaction/redact';

/**
 * What an expectation asks for, in the words a verdict shows (`status in 200-299`, `$.status equals "ok"`).
 * Remembered per expectation object: a compiled spec (and so its expectations) serves every round
 * of its monitor, and the words never change.
 */
export function describeExpectation(expectation: Expectation): string {
  let words = descriptions.get(expectation);
  if (words === undefined) {
    words = describeNow(expectation);
    descriptions.set(expectation, words);
  }
  return words;
}

const descriptions = new WeakMap<Expectation, string>();

function describeNow(expectation: Expectation): string {
  switch (expectation.kind) {
    case 'status':
      return `status in ${formatStatusRanges(expectation.ranges)}`;
    case 'body.contains':
      return `body contains ${JSON.stringify(expectation.text)}`;
    case 'body.notContains':
      return `body does not contain ${JSON.stringify(expectation.text)}`;
    case 'body.matches':
      return `body matches /${expectation.source}/`;
    case 'body.notMatches':
      return `body does not match /${expectation.source}/`;
    case 'json':
      return `${expectation.path.source} ${expectation.op}${expectation.op === 'exists' || expectation.op === 'absent' ? '' : ` ${formatValue(expectation.value)}`}`;
    case 'header':
      return `header ${expectation.name} ${expectation.op}${expectation.value !== undefined ? ` ${JSON.stringify(expectation.value)}` : ''}`;
    case 'latency':
      return `total time < ${expectation.degradedMs} ms${expectation.downMs !== undefined ? ` (down at ${expectation.downMs} ms)` : ''}`;
  }
}

/**
 * Checks one compiled expectation against a response and shows the value seen, in the manner of
 * `[STATUS] 500 in 200-299`. Pure; parses nothing (the spec was compiled, the body parsed once).
 */
export function checkExpectation(expectation: Expectation, context: EvaluationContext): ExpectationResult {
  switch (expectation.kind) {
    case 'status':
      return checkStatus(expectation, context);
    case 'body.contains':
    case 'body.notContains': {
      const expected = describeExpectation(expectation);
      if (!hasBody(context)) return notEvaluated(expectation.kind, expected, 'no body');
      const found = context.response.body.includes(expectation.text);
      const passed = expectation.kind === 'body.contains' ? found : !found;
      return result(expectation.kind, passed, expected, found ? 'found' : 'not found');
    }
    case 'body.matches':
    case 'body.notMatches': {
      const expected = describeExpectation(expectation);
      if (!hasBody(context)) return notEvaluated(expectation.kind, expected, 'no body');
      const body = context.response.body;
      // One pass over the body answers every body expression (the spec's set); the matched text
      // is only worth a second look when it is the evidence of a failure.
      const pass = context.bodyPatterns();
      if (pass.kind === 'too_costly') return notEvaluated(expectation.kind, expected, TOO_COSTLY);
      const found = pass.indexes.has(expectation.setIndex);
      const actual = !found ? 'no match' : expectation.kind === 'body.notMatches' ? `matched ${JSON.stringify(matchedText(expectation.pattern, body))}` : 'matched';
      return result(expectation.kind, expectation.kind === 'body.matches' ? found : !found, expected, actual);
    }
    case 'json':
      return checkJson(expectation, context);
    case 'header':
      return checkHeader(expectation, context);
    case 'latency': {
      const total = context.observation.timings.total;
      const expected = describeExpectation(expectation);
      return result('latency', total <= expectation.degradedMs, expected, `${Math.round(total)} ms`);
    }
  }
}

function checkStatus(expectation: Extract<Expectation, { kind: 'status' }>, context: EvaluationContext): ExpectationResult {
  const status = context.response.status;
  const conditionalHit = status === 304 && context.observation.conditional !== undefined;
  const expected = `${describeExpectation(expectation)}${context.observation.conditional ? ' (or 304 to a conditional request)' : ''}`;
  const passed = conditionalHit || statusInRanges(status, expectation.ranges);
  return result('status', passed, expected, String(status));
}

function checkJson(expectation: Extract<Expectation, { kind: 'json' }>, context: EvaluationContext): ExpectationResult {
  const { path, op, value } = expectation;
  const expected = describeExpectation(expectation);
  if (!hasBody(context)) return notEvaluated('json', expected, 'no body');
  if (!context.json.parsed) {
    return result('json', false, expected, context.response.bodyTruncated ? 'body truncated, not parsed as JSON' : 'body is not JSON');
  }
  const lookup = lookupJsonPath(context.json.value, path);
  if (!lookup.found) return result('json', op === 'absent', expected, 'absent');
  const seen = lookup.value;
  const actual = formatValue(seen);
  switch (op) {
    case 'exists':
      return result('json', true, expected, actual);
    case 'absent':
      return result('json', false, expected, actual);
    case 'equals':
      return result('json', jsonValueEquals(seen, value), expected, actual);
    case 'notEquals':
      return result('json', !jsonValueEquals(seen, value), expected, actual);
    case 'oneOf':
      return result('json', Array.isArray(value) && value.some((v) => jsonValueEquals(seen, v)), expected, actual);
    case 'contains':
      return result('json', jsonContains(seen, value), expected, actual);
    case 'matches':
      return result('json', typeof seen === 'string' && expectation.pattern !== undefined && expectation.pattern.test(valueWindow(seen)), expected, actual);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return result('json', compareNumbers(seen, op, value), expected, actual);
  }
}

function checkHeader(expectation: Extract<Expectation, { kind: 'header' }>, context: EvaluationContext): ExpectationResult {
  const seen = context.response.headers[expectation.name];
  const expected = describeExpectation(expectation);
  // A result is stored and shown: the value of a cookie or token header must not be in it.
  const actual = seen === undefined ? null : isCredentialHeader(expectation.name) ? REDACTED : truncate(seen, 200);
  switch (expectation.op) {
    case 'exists':
      return result('header', seen !== undefined, expected, actual ?? 'absent');
    case 'absent':
      return result('header', seen === undefined, expected, actual ?? 'absent');
    case 'equals':
      return result('header', seen === expectation.value, expected, actual ?? 'absent');
    case 'contains':
      return result('header', seen !== undefined && valueWindow(seen).includes(expectation.value ?? ''), expected, actual ?? 'absent');
    case 'matches':
      return result('header', seen !== undefined && expectation.pattern !== undefined && expectation.pattern.test(valueWindow(seen)), expected, actual ?? 'absent');
  }
}

/** HEAD, 204 and 304 carry no body: body expectations are not evaluated rather than failed. */
function hasBody(context: EvaluationContext): boolean {
  const { status } = context.response;
  return context.observation.method !== 'HEAD' && status !== 204 && status !== 304;
}

/**
 * What `contains` and `matches` look at of a header or JSON value: its first characters (or
 * items). A target chooses its values; 32 assertions over one huge value would cost more than
 * the whole body.
 */
function valueWindow(text: string): string {
  return text.length <= MAX_MATCHED_VALUE_CHARS ? text : text.slice(0, MAX_MATCHED_VALUE_CHARS);
}

function jsonContains(seen: unknown, value: unknown): boolean {
  if (typeof seen === 'string') return typeof value === 'string' && valueWindow(seen).includes(value);
  if (Array.isArray(seen)) {
    for (let i = 0; i < seen.length && i < MAX_MATCHED_VALUE_CHARS; i++) if (jsonValueEquals(seen[i], value)) return true;
  }
  return false;
}

function compareNumbers(seen: unknown, op: 'lt' | 'lte' | 'gt' | 'gte', value: unknown): boolean {
  const number = typeof seen === 'number' ? seen : typeof seen === 'string' && seen.trim() !== '' ? Number(seen) : NaN;
  if (typeof value !== 'number' || Number.isNaN(number)) return false;
  switch (op) {
    case 'lt':
      return number < value;
    case 'lte':
      return number <= value;
    case 'gt':
      return number > value;
    case 'gte':
      return number >= value;
  }
}

/** Why body expressions were not evaluated (see `matchBodyPatterns`). */
export const TOO_COSTLY = 'the body expressions could not be matched over this body within their budget';

/**
 * Characters searched for the text a `notMatches` expression matched: finding where a match is
 * takes the slower engines of RE2JS, so the evidence is looked for near the start only.
 */
const EVIDENCE_SEARCH_CHARS = 16 * 1024;

function matchedText(pattern: RE2JS, text: string): string {
  const matcher = pattern.matcher(text.length <= EVIDENCE_SEARCH_CHARS ? text : text.slice(0, EVIDENCE_SEARCH_CHARS));
  return matcher.find() ? truncate(matcher.group() ?? '', 80) : `(after the first ${EVIDENCE_SEARCH_CHARS} characters)`;
}

function result(kind: string, passed: boolean, expected: string, actual: string | null): ExpectationResult {
  return { kind, passed, expected, actual, description: `[${kind}] ${expected}: ${passed ? 'ok' : 'FAILED'}, saw ${actual ?? 'nothing'}` };
}

function notEvaluated(kind: string, expected: string, reason: string): ExpectationResult {
  return { kind, passed: null, expected, actual: null, description: `[${kind}] ${expected}: not evaluated (${reason})` };
}
