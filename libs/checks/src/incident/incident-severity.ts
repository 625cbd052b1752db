import type { DecidedClassification } from '../reconcile/classification';

/** A classification that can be the subject of an incident. */
export type IncidentClassification = Exclude<DecidedClassification, 'operational'>;

/** How loud an incident is: the service down for users, down for some, or worse than it should be. */
export type IncidentSeverity = 'critical' | 'major' | 'minor';

const SEVERITY: Record<IncidentClassification, IncidentSeverity> = {
  outage: 'critical',
  masked_outage: 'critical',
  regional_outage: 'major',
  degraded: 'minor',
};

/**
 * The severity of an incident of this classification. A masked outage is as critical as an outage:
 * the origin is failing, and users get stale content until the cache gives up.
 */
export function severityOf(classification: IncidentClassification): IncidentSeverity {
  return SEVERITY[classification];
}
