import type { Observation, ResponseFacts } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import type { Cause } from '../verdict/verdict';

/** A body parsed as JSON once per evaluation, shared by every expectation and detector. */
export type JsonBody = { parsed: true; value: unknown } | { parsed: false };

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
}

/** A built-in detector: a pure function from what was seen to the causes it finds (often none). */
export type Detector = (context: EvaluationContext) => Cause[];
