import type { EvaluationContext } from '../context/evaluation-context';
import { formatStatusRanges, statusInRanges, type StatusRange } from '../spec/status-range';
import type { ExpectationResult } from '../verdict/verdict';
import { describedOnce, expectationResult } from './expectation-result';

/** The statuses a response may have, as ranges; `explicit` when the spec listed them (else the method's default). */
export type StatusExpectation = { kind: 'status'; ranges: StatusRange[]; explicit: boolean };

export function describeStatus(expectation: StatusExpectation): string {
  return `status in ${formatStatusRanges(expectation.ranges)}`;
}

/** A 304 answers a conditional request as well as the listed statuses do. */
export function checkStatus(expectation: StatusExpectation, context: EvaluationContext): ExpectationResult {
  const status = context.response.status;
  const conditionalHit = status === 304 && context.observation.conditional !== undefined;
  const expected = `${describedOnce(expectation, describeStatus)}${context.observation.conditional ? ' (or 304 to a conditional request)' : ''}`;
  const passed = conditionalHit || statusInRanges(status, expectation.ranges);
  return expectationResult('status', passed, expected, String(status));
}

/**
 * None of its own: a failed status is named after the detectors have run (in `evaluate`), since a
 * proxy's error page, a login wall or a failed health document explains it better than
 * `status_mismatch`, and a redirect chain that ended elsewhere is `redirect_failure`.
 */
export function causeOfStatus(): undefined {
  return undefined;
}
