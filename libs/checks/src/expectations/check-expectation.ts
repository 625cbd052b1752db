import type { EvaluationContext } from '../context/evaluation-context';
import type { Cause, ExpectationResult } from '../verdict/verdict';
import { causeOfBodyPattern, checkBodyPattern, describeBodyPattern } from './body-pattern';
import { causeOfBodyText, checkBodyText, describeBodyText } from './body-text';
import type { Expectation } from './expectation';
import { describedOnce } from './expectation-result';
import { causeOfHeader, checkHeader, describeHeader } from './header';
import { causeOfJson, checkJson, describeJson } from './json';
import { causeOfLatency, checkLatency, describeLatency } from './latency';
import { causeOfStatus, checkStatus, describeStatus } from './status';

export { TOO_COSTLY } from './body-pattern';

/**
 * What an expectation asks for, in the words a verdict shows (`status in 200-299`, `$.status equals "ok"`).
 * Remembered per expectation object: a compiled spec (and so its expectations) serves every round
 * of its monitor, and the words never change.
 */
export function describeExpectation(expectation: Expectation): string {
  return describedOnce(expectation, describeNow);
}

function describeNow(expectation: Expectation): string {
  switch (expectation.kind) {
    case 'status':
      return describeStatus(expectation);
    case 'body.contains':
    case 'body.notContains':
      return describeBodyText(expectation);
    case 'body.matches':
    case 'body.notMatches':
      return describeBodyPattern(expectation);
    case 'json':
      return describeJson(expectation);
    case 'header':
      return describeHeader(expectation);
    case 'latency':
      return describeLatency(expectation);
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
    case 'body.notContains':
      return checkBodyText(expectation, context);
    case 'body.matches':
    case 'body.notMatches':
      return checkBodyPattern(expectation, context);
    case 'json':
      return checkJson(expectation, context);
    case 'header':
      return checkHeader(expectation, context);
    case 'latency':
      return checkLatency(expectation, context);
  }
}

/** The cause a failed expectation gives on its own (none for a passed or unevaluated one, nor for a status). */
export function causeOfExpectation(expectation: Expectation, result: ExpectationResult, context: EvaluationContext): Cause | undefined {
  switch (expectation.kind) {
    case 'status':
      return causeOfStatus();
    case 'body.contains':
    case 'body.notContains':
      return causeOfBodyText(result);
    case 'body.matches':
    case 'body.notMatches':
      return causeOfBodyPattern(result);
    case 'json':
      return causeOfJson(result);
    case 'header':
      return causeOfHeader(result);
    case 'latency':
      return causeOfLatency(expectation, result, context);
  }
}
