import { describe, expect, it } from 'vitest';
import { routeEvent, type RoutableChannel, type RoutablePolicy } from './routing';

const INCIDENT = ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored', 'incident.reminder'];
const channels: RoutableChannel[] = [
  { id: 'ch_pd', routing: 'policies', events: INCIDENT },
  { id: 'ch_slack', routing: 'policies', events: INCIDENT },
  { id: 'ch_mail', routing: 'policies', events: ['incident.opened', 'incident.resolved'] },
  { id: 'wh_hook', routing: 'subscribed', events: ['incident.opened', 'incident.resolved'] },
  { id: 'ch_maint', routing: 'policies', events: ['maintenance.started'] },
];
const policy = (id: string, match: Partial<RoutablePolicy['match']>, targets: string[], extra: Partial<RoutablePolicy> = {}): RoutablePolicy => ({
  id,
  default: false,
  enabled: true,
  match: { labels: null, severities: null, events: null, ...match },
  channels: targets,
  ...extra,
});
const payments = { labels: { team: 'payments', env: 'prod' }, channels: [] };
const search = { labels: { team: 'search' }, channels: [] };

describe('routing events to channels', () => {
  const policies = [policy('pol_pay', { labels: { team: 'payments' }, severities: ['critical'] }, ['ch_pd']), policy('pol_all', {}, ['ch_slack'])];

  it.each([
    ['a critical payments incident: PagerDuty and Slack, and the subscribed webhook', { type: 'incident.opened', severity: 'critical' as const, monitors: [payments] }, ['ch_pd', 'ch_slack', 'wh_hook']],
    ['a minor payments incident: not PagerDuty', { type: 'incident.opened', severity: 'minor' as const, monitors: [payments] }, ['ch_slack', 'wh_hook']],
    ['a critical search incident: Slack only (and the webhook)', { type: 'incident.opened', severity: 'critical' as const, monitors: [search] }, ['ch_slack', 'wh_hook']],
    ['an update: not to the webhook, which does not take updates', { type: 'incident.updated', severity: 'critical' as const, monitors: [payments] }, ['ch_pd', 'ch_slack']],
    ['a region event without an incident: no severity, so not the critical policy', { type: 'region.blind', severity: null, monitors: [payments] }, ['ch_slack']],
  ])('%s', (_name, event, expected) => {
    expect(routeEvent(event, policies, channels).map((route) => route.channelId)).toEqual(expected);
  });

  it('the default policy applies only when no other matches', () => {
    const withDefault = [policy('pol_pay', { labels: { team: 'payments' } }, ['ch_pd']), policy('pol_default', {}, ['ch_mail'], { default: true })];
    expect(routeEvent({ type: 'incident.opened', severity: 'major', monitors: [payments] }, withDefault, channels).map((r) => r.channelId)).toEqual(['ch_pd', 'wh_hook']);
    expect(routeEvent({ type: 'incident.opened', severity: 'major', monitors: [search] }, withDefault, channels).map((r) => r.channelId)).toEqual(['ch_mail', 'wh_hook']);
  });

  it('a disabled policy routes nothing, and a channel the monitor names gets its events', () => {
    const off = [policy('pol_all', {}, ['ch_slack'], { enabled: false })];
    const named = { labels: {}, channels: ['ch_mail'] };
    expect(routeEvent({ type: 'incident.opened', severity: 'critical', monitors: [named] }, off, channels)).toEqual([
      { channelId: 'ch_mail', via: ['monitor'] },
      { channelId: 'wh_hook', via: ['subscribed'] },
    ]);
  });

  it('matches by event type, and skips channels that are gone', () => {
    const maint = [policy('pol_m', { events: ['maintenance.started'] }, ['ch_maint', 'ch_gone'])];
    expect(routeEvent({ type: 'maintenance.started', severity: null, monitors: [search] }, maint, channels).map((r) => r.channelId)).toEqual(['ch_maint']);
    expect(routeEvent({ type: 'incident.opened', severity: 'critical', monitors: [search] }, maint, channels).map((r) => r.channelId)).toEqual(['wh_hook']);
  });
});
