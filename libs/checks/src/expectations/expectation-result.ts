import type { EvaluationContext } from '../context/evaluation-context';
import type { Cause, CauseCode, ExpectationResult } from '../verdict/verdict';

/**
 * An expectation's words (`status in 200-299`), made once per expectation object: a compiled spec
 * (and so its expectations) serves every round of its monitor, and the words never change.
 */
export function describedOnce<E extends object>(expectation: E, describe: (expectation: E) => string): string {
  let words = descriptions.get(expectation);
  if (words === undefined) {
    words = describe(expectation);
    descriptions.set(expectation, words);
  }
  return words;
}

const descriptions = new WeakMap<object, string>();

/** A result in the manner of `[status] status in 200-299: FAILED, saw 500`. */
export function expectationResult(kind: string, passed: boolean, expected: string, actual: string | null): ExpectationResult {
  return { kind, passed, expected, actual, description: `[${kind}] ${expected}: ${passed ? 'ok' : 'FAILED'}, saw ${actual ?? 'nothing'}` };
}

export function notEvaluated(kind: string, expected: string, reason: string): ExpectationResult {
  return { kind, passed: null, expected, actual: null, description: `[${kind}] ${expected}: not evaluated (${reason})` };
}

/** The cause of a failed expectation that is down on its own, showing what was expected and seen. */
export function failureCause(code: CauseCode, result: ExpectationResult): Cause | undefined {
  if (result.passed !== false) return undefined;
  return { code, severity: 'down', message: result.description, evidence: { expected: result.expected, actual: result.actual } };
}

/** HEAD, 204 and 304 carry no body: body expectations are not evaluated rather than failed. */
export function hasBody(context: EvaluationContext): boolean {
  const { status } = context.response;
  return context.observation.method !== 'HEAD' && status !== 204 && status !== 304;
}
