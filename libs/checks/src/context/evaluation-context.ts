/**
 * What every expectation and detector reads, as types only: a leaf that they import without
 * reaching up into `evaluate/`, which builds the context (`createEvaluationContext`) and runs them.
 */
import type { Observation, ResponseFacts } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import type { Cause } from '../verdict/verdict';

/** A body parsed as JSON once per evaluation, shared by every expectation and detector. */
export type JsonBody = { parsed: true; value: unknown } | { parsed: false };

/**
 * What matching a spec's body expressions over one body came to: the indexes (in the spec's
 * `bodyPatterns`) of those that match somewhere, or `too_costly` when the expressions could not
 * be matched over this body within the memory of their DFA.
 */
export type BodyPatternMatches = { kind: 'matched'; indexes: ReadonlySet<number> } | { kind: 'too_costly' };

/** What every expectation and detector reads. Built once per evaluation. */
export interface EvaluationContext {
  spec: CompiledSpec;
  observation: Observation;
  /** The primary response (detectors only run when there is one). */
  response: ResponseFacts;
  json: JsonBody;
  /** Media type in lower case without parameters, e.g. `application/health+json`; `''` when absent. */
  mediaType: string;
  /** The probe's clock when the request started (epoch ms). */
  now: number;
  /**
   * Which body expressions (indexes in `spec.bodyPatterns`) match the body somewhere: one pass
   * over the body for all of them, made on the first call; `too_costly` when they could not be
   * matched over this body within their budget.
   */
  bodyPatterns(): BodyPatternMatches;
  /** The result of {@link bodyPatterns} if it was asked for, without making the pass. */
  bodyPatternsIfMatched(): BodyPatternMatches | undefined;
}

/** A built-in detector: a pure function from what was seen to the causes it finds (often none). */
export type Detector = (context: EvaluationContext) => Cause[];
