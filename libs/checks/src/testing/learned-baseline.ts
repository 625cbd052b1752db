/**
 * Learns a baseline the way the coordinator does, from real evaluations: each observation is
 * evaluated with the baseline so far, fingerprinted, and learned from.
 */
import { evaluate } from '../evaluate/evaluate';
import type { Observation } from '../observation/observation';
import type { CompiledSpec } from '../spec/compile-monitor-spec';
import type { Baseline } from '../baseline/baseline';
import { fingerprintOf } from '../evaluate/fingerprint-of';
import { learnBaseline } from '../baseline/learn-baseline';
import { specHashOf } from '../baseline/spec-hash';

export function specHashOfCompiled(spec: CompiledSpec): string {
  return specHashOf({ url: spec.url, method: spec.method, headers: spec.headers, body: spec.body, expect: spec.expect });
}

/** Feeds observations as rounds one minute apart (from `firstRound`), returning the last baseline. */
export function learnFrom(spec: CompiledSpec, observations: Observation[], start?: Baseline, firstRound = 1): Baseline | undefined {
  let baseline = start;
  observations.forEach((observation, index) => {
    const verdict = evaluate(spec, observation, baseline ? { baseline } : {});
    baseline = learnBaseline(
      baseline,
      { fingerprint: fingerprintOf(spec, observation), verdict, specHash: specHashOfCompiled(spec), scheduledAt: (firstRound + index) * 60_000 },
      spec.baseline,
    );
  });
  return baseline;
}
