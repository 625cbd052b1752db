import type { EvaluationContext } from '../context/evaluation-context';
import type { Cause, ExpectationResult } from '../verdict/verdict';
import { describedOnce, expectationResult, failureCause, hasBody, notEvaluated } from './expectation-result';

/** A text the body must contain, or must not. */
export type BodyTextExpectation = { kind: 'body.contains'; text: string } | { kind: 'body.notContains'; text: string };

export function describeBodyText(expectation: BodyTextExpectation): string {
  return expectation.kind === 'body.contains'
    ? `body contains ${JSON.stringify(expectation.text)}`
    : `body does not contain ${JSON.stringify(expectation.text)}`;
}

export function checkBodyText(expectation: BodyTextExpectation, context: EvaluationContext): ExpectationResult {
  const expected = describedOnce(expectation, describeBodyText);
  if (!hasBody(context)) return notEvaluated(expectation.kind, expected, 'no body');
  const found = context.response.body.includes(expectation.text);
  const passed = expectation.kind === 'body.contains' ? found : !found;
  return expectationResult(expectation.kind, passed, expected, found ? 'found' : 'not found');
}

export function causeOfBodyText(result: ExpectationResult): Cause | undefined {
  return failureCause('body_mismatch', result);
}
