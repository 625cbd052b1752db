/**
 * What reconciling one round's per-region verdicts concludes about a monitor. Stable strings:
 * webhooks, the API and other tools match on them.
 *
 * - `operational`: every region that answered is up.
 * - `degraded`: none down; some slow, stale or reporting a degraded dependency.
 * - `outage`: more than the outage quorum of the answering regions down with fresh evidence.
 * - `masked_outage`: a cache serves answers that hide an origin failure seen by a bypass request
 *   or by other regions.
 * - `regional_outage`: some regions down with fresh evidence, below the outage quorum.
 * - `unknown`: too few regions answered to decide.
 */
export const CLASSIFICATIONS = ['operational', 'degraded', 'outage', 'masked_outage', 'regional_outage', 'unknown'] as const;

export type Classification = (typeof CLASSIFICATIONS)[number];

/** A classification a round actually decided (everything but `unknown`). */
export type DecidedClassification = Exclude<Classification, 'unknown'>;
