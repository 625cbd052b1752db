import type { Cause, Verdict } from '../verdict/verdict';
import { MAX_LEARNED_ROUNDS, type Baseline, type BaselineOptions, type ValidatorHistory } from './baseline';
import type { ContentFingerprint } from './content-fingerprint';
import { sameValidators, VALIDATOR_NAMES, type ValidatorName } from './content-validators';
import { sameShape } from './same-shape';

/** One round of one monitor in one region, as the baseline learns from it. */
export interface BaselineRound {
  /** The primary response's fingerprint; `undefined` when the round got no response. */
  fingerprint: ContentFingerprint | undefined;
  verdict: Pick<Verdict, 'status' | 'causes'>;
  /** {@link specHashOf} of the spec the round ran under. */
  specHash: string;
  /** When the round was scheduled (epoch ms): orders rounds that arrive out of order. */
  scheduledAt: number;
}

/**
 * Whether a round may teach the baseline what healthy looks like: nothing down, and nothing
 * degraded but a content change (a softer change is learned, so it is adopted after
 * `relearnAfterRounds`; a frozen copy or a failing dependency never is).
 */
export function isLearnable(verdict: Pick<Verdict, 'causes'>): boolean {
  return verdict.causes.every((cause: Cause) => cause.severity === 'info' || (cause.severity === 'degraded' && cause.code === 'content_changed'));
}

/**
 * The baseline after one more round. Pure: the coordinator keeps the result and sends it with
 * the next check job.
 *
 * - A round older than (or as old as) the latest one seen changes nothing: results arrive out of order.
 * - A round without a response changes nothing.
 * - A different `specHash` starts over: what was learned belonged to another request.
 * - Every answered round, healthy or not, moves `last` (frozen content is counted on every round).
 * - Only learnable rounds ({@link isLearnable}) teach the shape and the validator history.
 *   A learnable round of another shape becomes the `candidate`, adopted after
 *   `relearnAfterRounds` such rounds in a row; one matching the baseline again drops it.
 *   While still learning (fewer than `learnRounds`), another shape simply starts learning anew.
 */
export function learnBaseline(previous: Baseline | undefined, round: BaselineRound, options: BaselineOptions): Baseline | undefined {
  const current = previous !== undefined && previous.specHash === round.specHash ? previous : undefined;
  const fingerprint = round.fingerprint;
  if (current !== undefined && round.scheduledAt <= current.last.scheduledAt) return current;
  if (fingerprint === undefined) return current;
  const learnable = isLearnable(round.verdict);
  if (current === undefined) return learnable ? fresh(fingerprint, round, 1) : undefined;

  const unchanged = sameValidators(fingerprint.validators, current.last.validators);
  const last = {
    validators: fingerprint.validators,
    unchangedRounds: unchanged ? Math.min(current.last.unchangedRounds + 1, MAX_LEARNED_ROUNDS) : 0,
    scheduledAt: round.scheduledAt,
  };
  if (!learnable) return { ...current, last };

  if (sameShape(fingerprint, current.fingerprint)) {
    const { candidate: _dropped, ...rest } = current;
    return {
      ...rest,
      rounds: Math.min(current.rounds + 1, MAX_LEARNED_ROUNDS),
      fingerprint,
      validators: advanced(current, fingerprint),
      last,
    };
  }
  if (current.rounds < options.learnRounds) return { ...fresh(fingerprint, round, 1), last };

  const candidateRounds = current.candidate && sameShape(fingerprint, current.candidate.fingerprint) ? current.candidate.rounds + 1 : 1;
  if (candidateRounds >= options.relearnAfterRounds) return { ...fresh(fingerprint, round, candidateRounds), last };
  return { ...current, last, candidate: { fingerprint, rounds: candidateRounds } };
}

function fresh(fingerprint: ContentFingerprint, round: BaselineRound, rounds: number): Baseline {
  return {
    v: 1,
    specHash: round.specHash,
    rounds: Math.min(rounds, MAX_LEARNED_ROUNDS),
    fingerprint,
    validators: {},
    last: { validators: fingerprint.validators, unchangedRounds: 0, scheduledAt: round.scheduledAt },
  };
}

/** The validator history with one more healthy pair: the last healthy round's value against this one's. */
function advanced(current: Baseline, fingerprint: ContentFingerprint): Baseline['validators'] {
  const histories: Partial<Record<ValidatorName, ValidatorHistory>> = { ...current.validators };
  for (const name of VALIDATOR_NAMES) {
    const before = current.fingerprint.validators[name];
    const now = fingerprint.validators[name];
    if (before === undefined || now === undefined) continue;
    const history = histories[name] ?? { pairs: 0, changes: 0 };
    let pairs = history.pairs + 1;
    let changes = history.changes + (before === now ? 0 : 1);
    // Halving keeps the ratio and lets recent rounds weigh more than ancient ones.
    if (pairs > MAX_LEARNED_ROUNDS) {
      pairs = Math.round(pairs / 2);
      changes = Math.round(changes / 2);
    }
    histories[name] = { pairs, changes };
  }
  return histories;
}
