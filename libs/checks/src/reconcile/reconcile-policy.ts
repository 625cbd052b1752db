import { z } from 'zod';
import { LAST_MODIFIED_TOLERANCE_SECONDS } from './content-lag';

/** Default share of the expected regions that must answer before a round is decided. */
export const DEFAULT_ANSWER_QUORUM = 0.5;
/** Default share of the answering regions that must be exceeded by fresh `down` verdicts for an `outage`. */
export const DEFAULT_OUTAGE_QUORUM = 0.5;
/** Default floor of answers needed to decide, whatever the quorum says. */
export const DEFAULT_MIN_REGIONS = 1;

/**
 * How a monitor's round is reconciled. Embedded in the monitor (as `reconcile`); every field has a
 * safe default, so `{}` (or nothing) is a valid policy.
 *
 * - `quorum`: share of the expected regions that must answer, rounded up: with 3 regions and the
 *   default 0.5, 2 must answer; with 2 regions, 1; with 1 region, 1. Below it the round is `unknown`.
 * - `minRegions`: a floor on the answers needed, whatever the quorum says. Capped at the number of
 *   expected regions, so a single-region monitor can still be decided.
 * - `outageQuorum`: a round is an `outage` when *more than* this share of the answering regions is
 *   down with fresh evidence, or all of them are. The default 0.5 asks for a strict majority: 2 of
 *   3, 3 of 4, 1 of 1; one down and one up of 2 is a `regional_outage`. `1` asks for every answering
 *   region; `0` makes any fresh `down` an outage (no regional outages).
 * - `lastModifiedSkewSeconds`: how far a region's `Last-Modified` may trail the newest one in the
 *   round before `version_skew` names it (default 300 s): raise it for origins deployed far apart
 *   or caches whose lifetime is longer.
 */
export const reconcilePolicySchema = z
  .object({
    quorum: z.number().min(0).max(1).default(DEFAULT_ANSWER_QUORUM),
    minRegions: z.number().int().min(1).max(1000).default(DEFAULT_MIN_REGIONS),
    outageQuorum: z.number().min(0).max(1).default(DEFAULT_OUTAGE_QUORUM),
    lastModifiedSkewSeconds: z.number().int().min(0).max(31_536_000).default(LAST_MODIFIED_TOLERANCE_SECONDS),
  })
  .strict()
  .prefault({});

/** The policy as a user writes it: every field may be left out. */
export type ReconcilePolicyInput = z.input<typeof reconcilePolicySchema>;
/** The policy with every default applied. */
export type ReconcilePolicy = z.output<typeof reconcilePolicySchema>;

/** Absorbs binary floating-point noise: `0.7 * 10` is `7.000000000000001`, which must not round up to 8. */
const EPSILON = 1e-9;

/** How many of `expected` regions must answer before the round is decided: at least 1, at most `expected` (0 when none is expected). */
export function answersNeeded(policy: ReconcilePolicy, expected: number): number {
  const byQuorum = Math.ceil(policy.quorum * expected - EPSILON);
  return Math.min(expected, Math.max(1, policy.minRegions, byQuorum));
}

/** How many of `answering` regions must be down with fresh evidence for an `outage` (at least 1, at most `answering`). */
export function downNeededForOutage(policy: ReconcilePolicy, answering: number): number {
  const moreThanShare = Math.floor(policy.outageQuorum * answering + EPSILON) + 1;
  return Math.max(1, Math.min(answering, moreThanShare));
}
