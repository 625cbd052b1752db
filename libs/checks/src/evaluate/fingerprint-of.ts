import { fingerprintResponse, type ContentFingerprint } from '../baseline/content-fingerprint';
import type { Observation } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import { createEvaluationContext } from './evaluation-context';

/**
 * The fingerprint of an observation's primary response; `undefined` when it got none. It reads
 * the body on its own: beside a verdict, `evaluateWithFingerprint` gives the same from the
 * verdict's own reading.
 */
export function fingerprintOf(spec: CompiledSpec, observation: Observation): ContentFingerprint | undefined {
  const response = observation.response;
  if (!response || observation.error) return undefined;
  return fingerprintResponse(createEvaluationContext(spec, observation, response));
}
