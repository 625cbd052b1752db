import { describe, expect, it } from 'vitest';
import type { LiveMonitor } from '../api/wire-shapes';
import { loadConfigFile } from '../config-file/load-config-file';
import type { LiveState } from '../plan/live-state';
import { envName, exportConfig } from './export-config';

const checkout: LiveMonitor = {
  id: 'mon_aaaaaaaaaaaaaaaaaaaa',
  key: 'checkout-api',
  revision: 5,
  name: 'Checkout API',
  regions: ['eu-west', 'us-east'],
  intervalSeconds: 30,
  reconcile: { quorum: 0.5, minRegions: 1, outageQuorum: 0.5 },
  incidents: { openAfter: 2, resolveAfter: 2, openOnDegraded: true },
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  spec: {
    url: 'https://***@checkout.example.com/health?template=${literal}',
    method: 'GET',
    headers: { Authorization: '[redacted]', Accept: 'application/json' },
    expect: { status: [200], json: [{ path: '$.status', op: 'equals', value: 'ok' }] },
  },
};

const live: LiveState = {
  monitors: [checkout],
  webhooks: [{ id: 'wh_aaaaaaaaaaaaaaaaaaaa', key: 'pager', revision: 1, url: 'https://hooks.example.com/x', events: ['incident.opened'], description: null, enabled: true }],
  regions: [
    { name: 'us-east', managedBy: 'monitors', monitorCount: 1 },
    { name: 'eu-west', managedBy: 'operator', monitorCount: 1 },
  ],
  statusPages: [
    { id: 'sp_aaaaaaaaaaaaaaaaaaaa', key: 'public', revision: 2, slug: 'acme', title: 'Acme ${status}', description: null, monitorIds: ['mon_aaaaaaaaaaaaaaaaaaaa'] },
  ],
  maintenance: [
    {
      id: 'mw_aaaaaaaaaaaaaaaaaaaa',
      key: 'sunday-patching',
      revision: 3,
      kind: 'rrule',
      monitorIds: ['mon_aaaaaaaaaaaaaaaaaaaa'],
      labels: null,
      startsAt: '2026-11-29T02:00:00.000Z',
      endsAt: null,
      durationMinutes: 120,
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      cron: null,
      reason: 'OS patching',
      active: false,
    },
    {
      id: 'mw_bbbbbbbbbbbbbbbbbbbb',
      key: 'db-upgrade',
      revision: 1,
      kind: 'once',
      monitorIds: [],
      labels: { team: 'payments' },
      startsAt: '2026-12-05T01:00:00.000Z',
      endsAt: '2026-12-05T03:00:00.000Z',
      durationMinutes: 120,
      rrule: null,
      cron: null,
      reason: 'Database upgrade',
    },
  ],
  channels: [],
  policies: [],
};

describe('exportConfig', () => {
  it('writes a file whose secrets are placeholders, listed in its header', () => {
    const exported = exportConfig(live, 'http://127.0.0.1:3000');
    expect(exported.variables).toEqual([
      { name: 'CROSSCHECK_CHECKOUT_API_URL_USERINFO', path: 'monitors[0].url' },
      { name: 'CROSSCHECK_CHECKOUT_API_HEADER_AUTHORIZATION', path: 'monitors[0].headers.Authorization' },
    ]);
    expect(exported.text).toContain('#   CROSSCHECK_CHECKOUT_API_HEADER_AUTHORIZATION  (monitors[0].headers.Authorization)');
    expect(exported.text).toContain('Authorization: ${CROSSCHECK_CHECKOUT_API_HEADER_AUTHORIZATION}');
    expect(exported.text).not.toContain('[redacted]');
    expect(exported.text).not.toContain('revision');
  });

  it('reads back, with the variables set, as the monitor body the API shows: operator regions only, literal ${ kept', () => {
    const exported = exportConfig(live, 'http://127.0.0.1:3000');
    const config = loadConfigFile(
      'exported.yaml',
      exported.text,
      new Map([
        ['CROSSCHECK_CHECKOUT_API_URL_USERINFO', 'shop:pw'],
        ['CROSSCHECK_CHECKOUT_API_HEADER_AUTHORIZATION', 'Bearer t'],
      ]),
    );
    expect(config.regions.map((r) => r.name)).toEqual(['eu-west']);
    const { id: _id, revision: _revision, createdAt: _created, updatedAt: _updated, spec, ...envelope } = checkout;
    expect(config.monitors[0]!.body).toEqual({
      ...envelope,
      ...spec,
      url: 'https://shop:pw@checkout.example.com/health?template=${literal}',
      headers: { Authorization: 'Bearer t', Accept: 'application/json' },
    });
    expect(config.webhooks[0]!.document).toEqual({ key: 'pager', url: 'https://hooks.example.com/x', events: ['incident.opened'], description: null, enabled: true });
    // Status pages name their monitors by key again.
    expect(config.statusPages[0]!.document).toEqual({ key: 'public', slug: 'acme', title: 'Acme ${status}', description: null, monitors: ['checkout-api'] });
    // Maintenance windows too, by key order, each as the API compares it (a one-off by its end).
    expect(config.maintenance.map((window) => window.document)).toEqual([
      { key: 'db-upgrade', labels: { team: 'payments' }, startsAt: '2026-12-05T01:00:00.000Z', endsAt: '2026-12-05T03:00:00.000Z', reason: 'Database upgrade' },
      { key: 'sunday-patching', monitors: ['checkout-api'], startsAt: '2026-11-29T02:00:00.000Z', durationMinutes: 120, rrule: 'FREQ=WEEKLY;BYDAY=SU', reason: 'OS patching' },
    ]);
  });
});

describe('envName', () => {
  it.each([
    ['checkout-api', 'CHECKOUT_API'],
    ['X-Api-Key', 'X_API_KEY'],
    ['a.b_c', 'A_B_C'],
  ])('%s -> %s', (text, name) => {
    expect(envName(text)).toBe(name);
  });
});
