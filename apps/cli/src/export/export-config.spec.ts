import { describe, expect, it } from 'vitest';
import type { LiveChannel, LiveMonitor } from '../api/wire-shapes';
import { loadConfigFile } from '../config-file/load-config-file';
import { planChannels } from '../plan/channel-plan';
import { channelReferences } from '../plan/channel-references';
import type { LiveState } from '../plan/live-state';
import { matchResources } from '../plan/match-resources';
import { planMonitorChannels } from '../plan/monitor-channel-plan';
import { planPolicies } from '../plan/policy-plan';
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

describe('exportConfig of channels and policies', () => {
  const common = { revision: 1, description: null, events: ['incident.opened', 'incident.resolved'], routing: 'policies', enabled: true, createdAt: '2026-12-01T10:00:00.000Z' };
  const pagerduty: LiveChannel = {
    ...common,
    id: 'ch_aaaaaaaaaaaaaaaaaaaa',
    key: 'payments-pd',
    type: 'pagerduty',
    name: 'Payments on-call',
    settings: { type: 'pagerduty', endpointUrl: 'https://events.pagerduty.com/v2/enqueue' },
    secretHints: { routingKey: '…9f2c' },
  };
  const mail: LiveChannel = {
    ...common,
    id: 'ch_bbbbbbbbbbbbbbbbbbbb',
    key: 'ops-mail',
    type: 'email',
    name: 'Ops ${team}',
    description: 'the ops list',
    enabled: false,
    settings: { type: 'email', smtp: { host: 'smtp.example.com', port: 587, secure: false, username: 'crosscheck' }, from: 'cc@example.com', to: ['ops@example.com'] },
    secretHints: { 'smtp.password': '…word' },
  };
  const hook: LiveChannel = { ...common, id: 'wh_aaaaaaaaaaaaaaaaaaaa', key: 'pager', type: 'webhook', name: 'pager', routing: 'subscribed', settings: { type: 'webhook', url: 'https://hooks.example.com/x' }, secretHints: {} };
  const state: LiveState = {
    ...live,
    monitors: [{ ...checkout, labels: { team: 'payments' }, channels: [pagerduty.id, hook.id] }],
    channels: [pagerduty, mail, hook],
    policies: [
      {
        id: 'pol_aaaaaaaaaaaaaaaaaaaa',
        key: 'payments-critical',
        revision: 3,
        name: 'Payments, critical',
        description: null,
        default: false,
        enabled: true,
        match: { labels: { team: 'payments' }, severities: ['critical'], events: null },
        channels: [pagerduty.id],
        reminder: { everyMinutes: 30 },
        escalation: { afterMinutes: 15, channels: [mail.id, hook.id] },
      },
      {
        id: 'pol_bbbbbbbbbbbbbbbbbbbb',
        key: 'pol_bbbbbbbbbbbbbbbbbbbb',
        revision: 1,
        name: 'Everything',
        description: null,
        default: true,
        enabled: true,
        match: { labels: null, severities: null, events: null },
        channels: [mail.id],
        reminder: null,
        escalation: null,
      },
    ],
  };
  const variables = new Map([
    ['CROSSCHECK_CHECKOUT_API_URL_USERINFO', 'shop:pw'],
    ['CROSSCHECK_CHECKOUT_API_HEADER_AUTHORIZATION', 'Bearer t'],
    ['CROSSCHECK_PAYMENTS_PD_ROUTING_KEY', 'R0UT1NGKEY0123456789abcdef9f2c'],
    ['CROSSCHECK_OPS_MAIL_SMTP_PASSWORD', 'password'],
  ]);

  it('writes channels with their secrets as placeholders (webhooks once, under webhooks), policies and monitors naming channels by key', () => {
    const exported = exportConfig(state, 'http://127.0.0.1:3000');
    expect(exported.channels).toBe(2);
    expect(exported.variables.slice(2)).toEqual([
      { name: 'CROSSCHECK_OPS_MAIL_SMTP_PASSWORD', path: 'channels[0].smtp.password' },
      { name: 'CROSSCHECK_PAYMENTS_PD_ROUTING_KEY', path: 'channels[1].routingKey' },
    ]);
    expect(exported.text).toContain(
      [
        'channels:',
        '  - key: ops-mail',
        '    type: email',
        '    name: Ops $${team}',
        '    description: the ops list',
        '    events:',
        '      - incident.opened',
        '      - incident.resolved',
        '    routing: policies',
        '    enabled: false',
        '    smtp:',
        '      host: smtp.example.com',
        '      port: 587',
        '      secure: false',
        '      username: crosscheck',
        '      password: ${CROSSCHECK_OPS_MAIL_SMTP_PASSWORD}',
        '    from: cc@example.com',
        '    to:',
        '      - ops@example.com',
        '  - key: payments-pd',
        '    type: pagerduty',
        '    name: Payments on-call',
        '    events:',
        '      - incident.opened',
        '      - incident.resolved',
        '    routing: policies',
        '    enabled: true',
        '    routingKey: ${CROSSCHECK_PAYMENTS_PD_ROUTING_KEY}',
        'policies:',
        '  - key: payments-critical',
        '    name: Payments, critical',
        '    match:',
        '      labels:',
        '        team: payments',
        '      severities:',
        '        - critical',
        '    channels:',
        '      - payments-pd',
        '    reminder:',
        '      everyMinutes: 30',
        '    escalation:',
        '      afterMinutes: 15',
        '      channels:',
        '        - ops-mail',
        '        - pager',
        '  - key: pol_bbbbbbbbbbbbbbbbbbbb',
        '    name: Everything',
        '    default: true',
        '    channels:',
        '      - ops-mail',
        '',
      ].join('\n'),
    );
    expect(exported.text).toContain('    labels:\n      team: payments\n    channels:\n      - payments-pd\n      - pager\n');
    expect(exported.text).not.toContain('9f2c');
  });

  it('leaves the sections out for a coordinator without channels and policies (older than them)', () => {
    const older = exportConfig({ ...state, channels: [], policies: [], absentRoutes: ['/v1/channels', '/v1/policies'] }, 'http://127.0.0.1:3000').text;
    expect(older).not.toMatch(/^(channels|policies):/m);
    expect(exportConfig({ ...live }, 'http://127.0.0.1:3000').text).toMatch(/^channels: \[\]\npolicies: \[\]$/m);
  });

  it('reads back, with the variables set, as a file that plans no change of a channel, policy or monitor channel', () => {
    const config = loadConfigFile('exported.yaml', exportConfig(state, 'http://127.0.0.1:3000').text, variables);
    const matched = matchResources(config, state);
    const references = channelReferences(config, state, matched, true);
    const channels = planChannels(config, matched);
    const policies = planPolicies(config, state, matched, true, references);
    const monitors = planMonitorChannels(config, matched, references);
    expect([...channels.issues, ...policies.issues, ...monitors.issues]).toEqual([]);
    expect(matched.channels.creates).toEqual([]);
    expect(matched.channels.orphans).toEqual([]);
    expect(matched.webhooks.orphans).toEqual([]);
    expect([...channels.changes.values(), ...policies.changes.values(), ...monitors.changes.values()].flat()).toEqual([]);
    expect(config.channels.find((channel) => channel.key === 'payments-pd')?.secrets).toEqual({ routingKey: 'R0UT1NGKEY0123456789abcdef9f2c' });
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
