import { describe, expect, it } from 'vitest';
import type { LiveChannel } from '../api/wire-shapes';
import { loadConfigFile } from '../config-file/load-config-file';
import { channelCreateBody, channelPatchBody, planChannels } from './channel-plan';
import type { LiveState } from './live-state';
import { matchResources } from './match-resources';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef9f2c';
const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/XXXXabcd';

const FILE = `version: 1
channels:
  - key: payments-pd
    type: pagerduty
    name: Payments on-call
    routingKey: \${PD_KEY}
  - key: ops-slack
    type: slack
    name: "#ops"
    webhookUrl: \${SLACK_URL}
    events: [incident.resolved, incident.opened]
  - key: ops-mail
    type: email
    name: Ops mail
    smtp: { host: smtp.example.com, port: 465, secure: true }
    from: crosscheck@example.com
    to: [ops@example.com, oncall@example.com]
`;

/** A channel as the API shows it: the file's, as it would be after applying it. */
function liveChannel(key: string, fields: Partial<LiveChannel>): LiveChannel {
  return {
    id: `ch_${key.replace(/[^a-z]/g, '').padEnd(20, 'a')}`,
    key,
    revision: 3,
    type: 'pagerduty',
    name: 'Payments on-call',
    description: null,
    events: ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored', 'incident.reminder'],
    routing: 'policies',
    settings: { type: 'pagerduty', endpointUrl: 'https://events.pagerduty.com/v2/enqueue' },
    secretHints: { routingKey: '…9f2c' },
    enabled: true,
    ...fields,
  };
}

const AS_APPLIED = [
  liveChannel('payments-pd', {}),
  liveChannel('ops-slack', { type: 'slack', name: '#ops', events: ['incident.opened', 'incident.resolved'], settings: { type: 'slack' }, secretHints: { webhookUrl: '…abcd' } }),
  liveChannel('ops-mail', {
    type: 'email',
    name: 'Ops mail',
    settings: { type: 'email', smtp: { host: 'smtp.example.com', port: 465, secure: true, username: null }, from: 'crosscheck@example.com', to: ['ops@example.com', 'oncall@example.com'] },
    secretHints: {},
  }),
];

function planned(channels: LiveChannel[], { routingKey = ROUTING_KEY, file = FILE } = {}) {
  const config = loadConfigFile('crosscheck.yaml', file, new Map([['PD_KEY', routingKey], ['SLACK_URL', SLACK_URL]]));
  const state: LiveState = { monitors: [], webhooks: [], regions: [], statusPages: [], maintenance: [], channels, policies: [] };
  return { config, ...planChannels(config, matchResources(config, state)) };
}

describe('planChannels', () => {
  it('sees no change in a channel as applied: defaults filled in, events as a set, secrets by their last 4 characters', () => {
    const { changes, issues } = planned(AS_APPLIED);
    expect(issues).toEqual([]);
    expect(Object.fromEntries(changes)).toEqual({ 'payments-pd': [], 'ops-slack': [], 'ops-mail': [] });
  });

  it('names the fields that differ as the file writes them, the settings beside the common fields', () => {
    const [pd, slack, mail] = AS_APPLIED;
    const { changes } = planned([
      { ...pd!, name: 'Payments', enabled: false, settings: { type: 'pagerduty', endpointUrl: 'http://127.0.0.1:9/enqueue' } },
      { ...slack!, events: ['incident.opened'] },
      { ...mail!, settings: { type: 'email', smtp: { host: 'smtp.example.com', port: 587, secure: true, username: 'old' }, from: 'crosscheck@example.com', to: ['ops@example.com'] } },
    ]);
    expect(changes.get('payments-pd')).toEqual([
      { path: 'name', before: 'Payments', after: 'Payments on-call' },
      { path: 'enabled', before: false, after: true },
      { path: 'endpointUrl', before: 'http://127.0.0.1:9/enqueue', after: 'https://events.pagerduty.com/v2/enqueue' },
    ]);
    expect(changes.get('ops-slack')).toEqual([{ path: 'events.1', after: 'incident.resolved' }]);
    expect(changes.get('ops-mail')).toEqual([
      // The username the file leaves out is kept, as a PATCH keeps it.
      { path: 'smtp.port', before: 587, after: 465 },
      { path: 'to.1', after: 'oncall@example.com' },
    ]);
  });

  it('sees a secret whose last 4 characters differ from the hint, or that the server lacks, as a secret change, never its value', () => {
    const [pd, slack] = AS_APPLIED;
    const rotated = planned([pd!, { ...slack!, secretHints: {} }], { routingKey: 'ANOTHERKEY0123456789abcdef0000' });
    expect(rotated.changes.get('payments-pd')).toEqual([{ path: 'routingKey', before: '[redacted]', after: '[redacted]', secret: true }]);
    expect(rotated.changes.get('ops-slack')).toEqual([{ path: 'webhookUrl', after: '[redacted]', secret: true }]);
    expect(JSON.stringify([...rotated.changes.values()])).not.toContain('ANOTHERKEY');
  });

  it('refuses to change a channel of the server to another type, naming the field', () => {
    const [, slack] = AS_APPLIED;
    const { issues, changes } = planned([{ ...slack!, key: 'payments-pd', type: 'slack' }]);
    expect(issues).toEqual([
      {
        path: ['channels', 0, 'type'],
        message: `channel payments-pd is a slack channel on the server (${slack!.id}): a channel's type never changes; give this one a new key (and apply with --prune to delete the old one)`,
      },
    ]);
    expect(changes.has('payments-pd')).toBe(false);
  });
});

describe('channel bodies', () => {
  it('a create carries the type fields and the secrets filled in; a patch also enabled and an empty description', () => {
    const { config } = planned([]);
    const [pd, , mail] = config.channels;
    expect(channelCreateBody(pd!)).toEqual({
      key: 'payments-pd',
      type: 'pagerduty',
      name: 'Payments on-call',
      events: ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored', 'incident.reminder'],
      routing: 'policies',
      endpointUrl: 'https://events.pagerduty.com/v2/enqueue',
      routingKey: ROUTING_KEY,
    });
    expect(channelPatchBody(mail!)).toEqual({
      key: 'ops-mail',
      type: 'email',
      name: 'Ops mail',
      description: null,
      events: ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored', 'incident.reminder'],
      routing: 'policies',
      enabled: true,
      smtp: { host: 'smtp.example.com', port: 465, secure: true },
      from: 'crosscheck@example.com',
      to: ['ops@example.com', 'oncall@example.com'],
    });
    const withPassword = loadConfigFile(
      'f.yaml',
      'version: 1\nchannels:\n  - { key: m, type: email, name: M, smtp: { host: mail, username: u, password: "${P}" }, from: a@example.com, to: [b@example.com] }\n',
      new Map([['P', 'pw']]),
    ).channels[0]!;
    expect(channelCreateBody(withPassword)).toMatchObject({ smtp: { host: 'mail', port: 587, secure: false, username: 'u', password: 'pw' } });
  });
});
