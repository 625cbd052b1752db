import type { OutboundEventData } from '@crosscheck/contract';

/** The `data` of an incident event as the incident machine would write it, for tests that publish events by hand. */
export function sampleEventData(incidentId = 'inc_mon_aaaaaaaaaaaaaaaaaaaa_0'): OutboundEventData {
  const at = new Date(0).toISOString();
  return {
    incident: {
      id: incidentId,
      state: 'open',
      classification: 'outage',
      severity: 'critical',
      affectedRegions: ['eu-west'],
      startedAt: at,
      openedAt: at,
      resolvedAt: null,
      url: `/v1/incidents/${incidentId}`,
    },
    monitor: { id: 'mon_aaaaaaaaaaaaaaaaaaaa', name: 'sample', url: 'https://example.test/', regions: ['eu-west'] },
    classification: { before: null, after: 'outage', round: 'outage' },
    round: { roundId: 'mon_aaaaaaaaaaaaaaaaaaaa:0', scheduledAt: at },
    reason: 'outage: down in 1 of 1 answering regions',
    affectedRegions: ['eu-west'],
    blindRegions: [],
    regions: {},
  };
}
