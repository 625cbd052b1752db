import type { RE2JS } from 're2js';
import type { EvaluationContext } from '../context/evaluation-context';
import type { Cause, ExpectationResult } from '../verdict/verdict';
import { describedOnce, expectationResult, failureCause, hasBody, notEvaluated } from './expectation-result';
import { truncate } from './format-value';

/**
 * A regular expression (RE2, linear time) the body must match, or must not. The expression is
 * also in the spec's `bodyPatterns` set, at `setIndex`: evaluation matches them all in one pass
 * and uses `pattern` only to show what a failing `notMatches` matched.
 */
export type BodyPatternExpectation =
  | { kind: 'body.matches'; pattern: RE2JS; source: string; setIndex: number }
  | { kind: 'body.notMatches'; pattern: RE2JS; source: string; setIndex: number };

/** Why body expressions were not evaluated (see `matchBodyPatterns`). */
export const TOO_COSTLY = 'the body expressions could not be matched over this body within their budget';

export function describeBodyPattern(expectation: BodyPatternExpectation): string {
  return expectation.kind === 'body.matches' ? `body matches /${expectation.source}/` : `body does not match /${expectation.source}/`;
}

export function checkBodyPattern(expectation: BodyPatternExpectation, context: EvaluationContext): ExpectationResult {
  const expected = describedOnce(expectation, describeBodyPattern);
  if (!hasBody(context)) return notEvaluated(expectation.kind, expected, 'no body');
  const body = context.response.body;
  // One pass over the body answers every body expression (the spec's set); the matched text
  // is only worth a second look when it is the evidence of a failure.
  const pass = context.bodyPatterns();
  if (pass.kind === 'too_costly') return notEvaluated(expectation.kind, expected, TOO_COSTLY);
  const found = pass.indexes.has(expectation.setIndex);
  const actual = !found ? 'no match' : expectation.kind === 'body.notMatches' ? `matched ${JSON.stringify(matchedText(expectation.pattern, body))}` : 'matched';
  return expectationResult(expectation.kind, expectation.kind === 'body.matches' ? found : !found, expected, actual);
}

export function causeOfBodyPattern(result: ExpectationResult): Cause | undefined {
  return failureCause('body_mismatch', result);
}

/**
 * The cause when the body expressions could not be matched over this body within their budget:
 * not judged is not healthy, so it is shown as degraded, never silently passed, never down on its own.
 */
export function causeOfBodyPatternsNotMatched(context: EvaluationContext): Cause | undefined {
  if (context.bodyPatternsIfMatched()?.kind !== 'too_costly') return undefined;
  return {
    code: 'body_mismatch',
    severity: 'degraded',
    message: `body expressions not evaluated: ${TOO_COSTLY}`,
    evidence: {
      expressions: context.spec.expectations.filter((e) => e.kind === 'body.matches' || e.kind === 'body.notMatches').length,
      bodyBytes: context.response.bodyBytes,
    },
  };
}

/**
 * Characters searched for the text a `notMatches` expression matched: finding where a match is
 * takes the slower engines of RE2JS, so the evidence is looked for near the start only.
 */
const EVIDENCE_SEARCH_CHARS = 16 * 1024;

function matchedText(pattern: RE2JS, text: string): string {
  const matcher = pattern.matcher(text.length <= EVIDENCE_SEARCH_CHARS ? text : text.slice(0, EVIDENCE_SEARCH_CHARS));
  return matcher.find() ? truncate(matcher.group() ?? '', 80) : `(after the first ${EVIDENCE_SEARCH_CHARS} characters)`;
}
