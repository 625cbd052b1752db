import { z } from 'zod';

/** Default consecutive incident-worthy rounds before an incident opens. */
export const DEFAULT_OPEN_AFTER = 2;
/** Default consecutive healthy rounds before an open incident resolves. */
export const DEFAULT_RESOLVE_AFTER = 2;

const rounds = z.number().int().min(1).max(100);

/**
 * How a monitor's incidents are confirmed. Embedded in the monitor (as `incident`); every field has
 * a safe default, so `{}` (or nothing) is a valid policy.
 *
 * - `openAfter` (N, default 2): consecutive incident-worthy rounds before an incident opens; for
 *   anything but an `outage`, one of the affected regions must have been affected in each of them.
 * - `resolveAfter` (M, default 2): consecutive healthy rounds before it resolves.
 * - `updateAfter` (default: `openAfter`): consecutive rounds a new classification or set of
 *   affected regions must hold before an open incident is updated, so that a jittering region does
 *   not send an update every round.
 * - `blindAfter` (default: `openAfter`): consecutive rounds without an answer before a region is
 *   reported blind.
 * - `openOnDegraded` (default true): whether `degraded` is incident-worthy (at `minor` severity).
 *   When false, `degraded` counts as healthy: it opens nothing and helps resolve.
 *
 * `unknown` rounds are never counted, whatever the policy.
 */
export const incidentPolicySchema = z
  .object({
    openAfter: rounds.default(DEFAULT_OPEN_AFTER),
    resolveAfter: rounds.default(DEFAULT_RESOLVE_AFTER),
    updateAfter: rounds.optional(),
    blindAfter: rounds.optional(),
    openOnDegraded: z.boolean().default(true),
  })
  .strict()
  .prefault({});

/** The policy as a user writes it: every field may be left out. */
export type IncidentPolicyInput = z.input<typeof incidentPolicySchema>;
/** The policy as parsed; `updateAfter` and `blindAfter` stay optional so they keep following `openAfter`. */
export type IncidentPolicy = z.output<typeof incidentPolicySchema>;
