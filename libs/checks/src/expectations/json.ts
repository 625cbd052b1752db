import type { RE2JS } from 're2js';
import type { EvaluationContext } from '../context/evaluation-context';
import { lookupJsonPath, type JsonPath } from '../json/json-path';
import type { JsonOperator } from '../spec/monitor-spec.schema';
import { MAX_MATCHED_VALUE_CHARS } from '../spec/spec-limits';
import type { Cause, ExpectationResult } from '../verdict/verdict';
import { describedOnce, expectationResult, failureCause, hasBody, notEvaluated } from './expectation-result';
import { formatValue, jsonValueEquals, valueWindow } from './format-value';

/** An assertion on the value at a JSON path of the body (path split, `matches` compiled). */
export type JsonExpectation = { kind: 'json'; path: JsonPath; op: JsonOperator; value: unknown; pattern?: RE2JS };

export function describeJson(expectation: JsonExpectation): string {
  return `${expectation.path.source} ${expectation.op}${expectation.op === 'exists' || expectation.op === 'absent' ? '' : ` ${formatValue(expectation.value)}`}`;
}

/** Reads the body parsed once for the whole evaluation; a body that is not JSON fails. */
export function checkJson(expectation: JsonExpectation, context: EvaluationContext): ExpectationResult {
  const { path, op, value } = expectation;
  const expected = describedOnce(expectation, describeJson);
  if (!hasBody(context)) return notEvaluated('json', expected, 'no body');
  if (!context.json.parsed) {
    return expectationResult('json', false, expected, context.response.bodyTruncated ? 'body truncated, not parsed as JSON' : 'body is not JSON');
  }
  const lookup = lookupJsonPath(context.json.value, path);
  if (!lookup.found) return expectationResult('json', op === 'absent', expected, 'absent');
  const seen = lookup.value;
  const actual = formatValue(seen);
  switch (op) {
    case 'exists':
      return expectationResult('json', true, expected, actual);
    case 'absent':
      return expectationResult('json', false, expected, actual);
    case 'equals':
      return expectationResult('json', jsonValueEquals(seen, value), expected, actual);
    case 'notEquals':
      return expectationResult('json', !jsonValueEquals(seen, value), expected, actual);
    case 'oneOf':
      return expectationResult('json', Array.isArray(value) && value.some((v) => jsonValueEquals(seen, v)), expected, actual);
    case 'contains':
      return expectationResult('json', jsonContains(seen, value), expected, actual);
    case 'matches':
      return expectationResult('json', typeof seen === 'string' && expectation.pattern !== undefined && expectation.pattern.test(valueWindow(seen)), expected, actual);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return expectationResult('json', compareNumbers(seen, op, value), expected, actual);
  }
}

export function causeOfJson(result: ExpectationResult): Cause | undefined {
  return failureCause('json_assertion_failed', result);
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
