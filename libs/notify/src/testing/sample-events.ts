/**
 * The scenarios every channel is rendered for in the snapshot tests and the README: one event per
 * classification, its update and resolve, a region gone blind and back, a reminder and a
 * maintenance window. All built from real evaluations (see `sample-rounds.ts`).
 */
import type { MaintenanceEvent } from '../events/maintenance-event';
import type { NotifyEvent } from '../events/notify-event';
import type { IncidentReminderEvent } from '../events/reminder-event';
import { SAMPLE_NOW, sampleIncidentEvent, sampleRegionEvent } from './sample-rounds';

/** Options every sample renders with. */
export const SAMPLE_OPTIONS = { dashboardUrl: 'https://crosscheck.example.com/' } as const;

const MINUTE = 60_000;

/** eu-west and us-east: Varnish serves a 3 h old copy while the bypass gets its 503; ap-south is refused. */
export const maskedOutageOpened = (): NotifyEvent =>
  sampleIncidentEvent({ type: 'incident.opened', situations: { 'eu-west': 'varnishStale', 'us-east': 'varnishStale', 'ap-south': 'refused' } });

/** Every region down, each its own way: nginx's 502 page, a timeout, a DNS failure. */
export const outageOpened = (): NotifyEvent =>
  sampleIncidentEvent({ type: 'incident.opened', situations: { 'eu-west': 'nginx502', 'us-east': 'timeout', 'ap-south': 'dnsFailure' } });

/** A health document answering 200 that says the database and Redis are down, in both regions. */
export const healthOutageOpened = (): NotifyEvent =>
  sampleIncidentEvent({ type: 'incident.opened', situations: { 'eu-west': 'healthDown', 'us-east': 'healthDown' } });

/** nginx's 502 in eu-west only; the others are up. */
export const regionalOutageOpened = (): NotifyEvent =>
  sampleIncidentEvent({ type: 'incident.opened', situations: { 'eu-west': 'nginx502', 'us-east': 'up', 'ap-south': 'up' } });

/** Slow in eu-west, a degraded dependency in us-east. */
export const degradedOpened = (): NotifyEvent =>
  sampleIncidentEvent({ type: 'incident.opened', situations: { 'eu-west': 'slow', 'us-east': 'healthDegraded', 'ap-south': 'up' } });

/** The masked outage became a plain outage: the caches gave up and serve Varnish's 503 too... here, nginx's 502 everywhere. */
export const maskedBecameOutage = (): NotifyEvent =>
  sampleIncidentEvent({
    type: 'incident.updated',
    situations: { 'eu-west': 'nginx502', 'us-east': 'nginx502', 'ap-south': 'refused' },
    before: 'masked_outage',
    at: SAMPLE_NOW + 20 * MINUTE,
  });

/** The masked outage resolved 42 minutes after it was first seen. */
export const maskedOutageResolved = (): NotifyEvent =>
  sampleIncidentEvent({
    type: 'incident.resolved',
    situations: { 'eu-west': 'up', 'us-east': 'up', 'ap-south': 'up' },
    before: 'masked_outage',
    at: SAMPLE_NOW + 42 * MINUTE,
  });

/** ap-south's agents went silent while nothing else was wrong. */
export const regionBlind = (): NotifyEvent => sampleRegionEvent('region.blind', 'ap-south', { 'eu-west': 'up', 'us-east': 'up', 'ap-south': 'missing' });

/** ap-south answers again. */
export const regionRestored = (): NotifyEvent => sampleRegionEvent('region.restored', 'ap-south', { 'eu-west': 'up', 'us-east': 'up', 'ap-south': 'up' });

/** The second reminder of the masked outage, 30 minutes in, nobody has acknowledged it. */
export const maskedOutageReminder = (): NotifyEvent => {
  const opened = sampleIncidentEvent({ type: 'incident.opened', situations: { 'eu-west': 'varnishStale', 'us-east': 'varnishStale', 'ap-south': 'refused' } });
  const reminder: IncidentReminderEvent = {
    type: 'incident.reminder',
    timestamp: new Date(SAMPLE_NOW + 30 * MINUTE).toISOString(),
    data: { ...opened.data, reminder: { sequence: 2, escalation: false } },
  };
  return reminder;
};

/** A maintenance window over the shop and its API, and its end. */
export const maintenance = (type: MaintenanceEvent['type']): NotifyEvent => ({
  type,
  timestamp: new Date(type === 'maintenance.started' ? SAMPLE_NOW : SAMPLE_NOW + 30 * MINUTE).toISOString(),
  data: {
    maintenance: {
      id: 'mw_23ocd2bqb2n2g4vyifld',
      key: 'postgres-17',
      reason: 'Database upgrade to PostgreSQL 17',
      kind: 'once',
      monitorIds: ['mon_2b4kq7xa3dhv6mnpz2re', 'mon_3c5lr6yb4eiw7noqa3sf'],
      labels: null,
      url: '/v1/maintenance/mw_23ocd2bqb2n2g4vyifld',
    },
    occurrence: { startsAt: new Date(SAMPLE_NOW).toISOString(), endsAt: new Date(SAMPLE_NOW + 30 * MINUTE).toISOString() },
    monitors: [
      { id: 'mon_2b4kq7xa3dhv6mnpz2re', name: 'Shop storefront', url: 'https://shop.example.com/' },
      { id: 'mon_3c5lr6yb4eiw7noqa3sf', name: 'Shop API', url: 'https://api.shop.example.com/health' },
    ],
  },
});

/** Every scenario by name, in the order the snapshots list them. */
export const SCENARIOS: Record<string, () => NotifyEvent> = {
  'masked_outage opened': maskedOutageOpened,
  'outage opened': outageOpened,
  'outage opened (health document)': healthOutageOpened,
  'regional_outage opened': regionalOutageOpened,
  'degraded opened': degradedOpened,
  'masked_outage updated to outage': maskedBecameOutage,
  'masked_outage resolved': maskedOutageResolved,
  'region.blind': regionBlind,
  'region.restored': regionRestored,
  'incident.reminder': maskedOutageReminder,
  'maintenance.started': () => maintenance('maintenance.started'),
  'maintenance.ended': () => maintenance('maintenance.ended'),
};
