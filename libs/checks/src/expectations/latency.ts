import type { EvaluationContext } from '../context/evaluation-context';
import type { RequestOutcome } from '../observation/observation';
import type { Cause, ExpectationResult } from '../verdict/verdict';
import { describedOnce, expectationResult } from './expectation-result';

/** The total time of the request: degraded over `degradedMs`, down over `downMs` when set. */
export type LatencyExpectation = { kind: 'latency'; degradedMs: number; downMs?: number };

export function describeLatency(expectation: LatencyExpectation): string {
  return `total time < ${expectation.degradedMs} ms${expectation.downMs !== undefined ? ` (down at ${expectation.downMs} ms)` : ''}`;
}

export function checkLatency(expectation: LatencyExpectation, context: EvaluationContext): ExpectationResult {
  const total = context.observation.timings.total;
  return expectationResult('latency', total <= expectation.degradedMs, describedOnce(expectation, describeLatency), `${Math.round(total)} ms`);
}

/** `slow`, degraded or down by the threshold crossed, with the time of each phase as evidence. */
export function causeOfLatency(expectation: LatencyExpectation, result: ExpectationResult, context: EvaluationContext): Cause | undefined {
  if (result.passed !== false) return undefined;
  const outcome = context.observation;
  const total = Math.round(outcome.timings.total);
  const down = expectation.downMs !== undefined && total > expectation.downMs;
  return {
    code: 'slow',
    severity: down ? 'down' : 'degraded',
    message: `took ${total} ms, over the ${down ? expectation.downMs : expectation.degradedMs} ms ${down ? 'down' : 'degraded'} threshold`,
    evidence: { totalMs: total, degradedMs: expectation.degradedMs, downMs: expectation.downMs ?? null, ...phaseEvidence(outcome) },
  };
}

function phaseEvidence(outcome: RequestOutcome): Record<string, number | null> {
  const t = outcome.timings;
  return { dnsMs: round(t.dns), connectMs: round(t.connect), tlsMs: round(t.tls), firstByteMs: round(t.firstByte) };
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}
