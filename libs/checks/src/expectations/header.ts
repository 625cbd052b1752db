import type { RE2JS } from 're2js';
import type { EvaluationContext } from '../context/evaluation-context';
import { isCredentialHeader } from '../redaction/credential-header';
import { REDACTED } from '../redaction/redact';
import type { HeaderOperator } from '../spec/monitor-spec.schema';
import type { Cause, ExpectationResult } from '../verdict/verdict';
import { describedOnce, expectationResult, failureCause } from './expectation-result';
import { truncate, valueWindow } from './format-value';

/** An assertion on a response header (`name` in lower case, `matches` compiled). */
export type HeaderExpectation = { kind: 'header'; name: string; op: HeaderOperator; value?: string; pattern?: RE2JS };

export function describeHeader(expectation: HeaderExpectation): string {
  return `header ${expectation.name} ${expectation.op}${expectation.value !== undefined ? ` ${JSON.stringify(expectation.value)}` : ''}`;
}

export function checkHeader(expectation: HeaderExpectation, context: EvaluationContext): ExpectationResult {
  const seen = context.response.headers[expectation.name];
  const expected = describedOnce(expectation, describeHeader);
  // A result is stored and shown: the value of a cookie or token header must not be in it.
  const actual = seen === undefined ? null : isCredentialHeader(expectation.name) ? REDACTED : truncate(seen, 200);
  switch (expectation.op) {
    case 'exists':
      return expectationResult('header', seen !== undefined, expected, actual ?? 'absent');
    case 'absent':
      return expectationResult('header', seen === undefined, expected, actual ?? 'absent');
    case 'equals':
      return expectationResult('header', seen === expectation.value, expected, actual ?? 'absent');
    case 'contains':
      return expectationResult('header', seen !== undefined && valueWindow(seen).includes(expectation.value ?? ''), expected, actual ?? 'absent');
    case 'matches':
      return expectationResult('header', seen !== undefined && expectation.pattern !== undefined && expectation.pattern.test(valueWindow(seen)), expected, actual ?? 'absent');
  }
}

export function causeOfHeader(result: ExpectationResult): Cause | undefined {
  return failureCause('header_mismatch', result);
}
