import { describe, expect, it } from 'vitest';
import type { LiveChannel, LiveMonitor, LivePolicy, LiveWebhook } from '../api/wire-shapes';
import { loadConfigFile } from '../config-file/load-config-file';
import { channelReferences } from './channel-references';
import type { LiveState } from './live-state';
import { matchResources } from './match-resources';
import { mergePatchOf } from './merge-patch';
import { monitorBody, monitorDryRunBody, planMonitorChannels } from './monitor-channel-plan';
import { planPolicies, policyCreateBody, policyPatchBody } from './policy-plan';

const FILE = `version: 1
webhooks:
  - { key: audit, url: "https://audit.example.com/hook" }
channels:
  - { key: payments-pd, type: pagerduty, name: Payments, routingKey: "\${PD_KEY}" }
policies:
  - key: payments-critical
    name: Payments, critical
    match: { labels: { team: payments }, severities: [critical] }
    channels: [payments-pd, ops-slack]
    reminder: { everyMinutes: 30 }
    escalation: { afterMinutes: 15, channels: [audit] }
monitors:
  - { key: api, name: API, url: "https://api.example.com/", regions: [eu], intervalSeconds: 60, labels: { team: payments }, channels: [payments-pd, old-hook] }
`;

const id = (prefix: string, key: string): string => `${prefix}_${key.replace(/[^a-z]/g, '').padEnd(20, 'a').slice(0, 20)}`;
function channel(key: string, type = 'slack'): LiveChannel {
  return { id: id('ch', key), key, revision: 1, type, name: key, description: null, events: [], routing: 'policies', settings: { type }, secretHints: {}, enabled: true };
}
function webhook(key: string): LiveWebhook {
  return { id: id('wh', key), key, revision: 1, url: `https://${key}.example.com/`, events: [], description: null, enabled: true };
}
function policy(key: string, fields: Partial<LivePolicy> = {}): LivePolicy {
  return {
    id: id('pol', key),
    key,
    revision: 2,
    name: 'Payments, critical',
    description: null,
    default: false,
    enabled: true,
    match: { labels: { team: 'payments' }, severities: ['critical'], events: null },
    channels: [],
    reminder: { everyMinutes: 30 },
    escalation: null,
    ...fields,
  };
}
function monitor(key: string, channels: string[] = []): LiveMonitor {
  return { id: id('mon', key), key, revision: 4, name: key, regions: ['eu'], intervalSeconds: 60, spec: { url: 'https://api.example.com/' }, labels: {}, channels };
}

function planned(live: Partial<LiveState>, { prune = false, file = FILE } = {}) {
  const config = loadConfigFile('crosscheck.yaml', file, new Map([['PD_KEY', 'k'.repeat(32)]]));
  const state: LiveState = { monitors: [], webhooks: [], regions: [], statusPages: [], maintenance: [], channels: [], policies: [], ...live };
  const matched = matchResources(config, state);
  const references = channelReferences(config, state, matched, prune);
  return { config, state, policies: planPolicies(config, state, matched, prune, references), monitors: planMonitorChannels(config, matched, references) };
}

describe('channel keys of policies and monitors', () => {
  it('accepts a channel or webhook of the file (created by this apply) or of the server, webhooks being channels', () => {
    const slack = channel('ops-slack');
    const { policies, monitors } = planned({ channels: [slack, { ...channel('old-hook', 'webhook'), id: id('wh', 'old-hook') }], webhooks: [webhook('old-hook')] });
    expect(policies.issues).toEqual([]);
    expect(monitors.issues).toEqual([]);
  });

  it('names each key that is neither, and one this apply prunes, at its place in the file', () => {
    expect(planned({}).policies.issues).toEqual([{ path: ['policies', 0, 'channels', 1], message: 'unknown channel key "ops-slack": neither a channel or webhook of this file nor one on the server' }]);
    expect(planned({}).monitors.issues).toEqual([{ path: ['monitors', 0, 'channels', 1], message: 'unknown channel key "old-hook": neither a channel or webhook of this file nor one on the server' }]);
    const pruned = planned({ channels: [channel('ops-slack'), channel('old-hook', 'webhook')], webhooks: [webhook('old-hook')] }, { prune: true });
    expect(pruned.policies.issues).toEqual([{ path: ['policies', 0, 'channels', 1], message: "channel ops-slack is deleted by this apply (--prune: it is not in the file's channels)" }]);
    expect(pruned.monitors.issues).toEqual([{ path: ['monitors', 0, 'channels', 1], message: "webhook old-hook is deleted by this apply (--prune: it is not in the file's webhooks)" }]);
  });

  it("compares a monitor's channels by key; its dry run keeps the server's, and apply sends the ids", () => {
    const pd = channel('payments-pd', 'pagerduty');
    const hook = channel('old-hook', 'webhook');
    const live = monitor('api', [pd.id]);
    const { monitors, config } = planned({ channels: [pd, hook], monitors: [live] });
    expect(monitors.changes.get('api')).toEqual([{ path: 'channels.1', after: 'old-hook' }]);
    const desired = config.monitors[0]!;
    expect(monitorDryRunBody(desired, live.channels)).toMatchObject({ channels: [pd.id] });
    expect(monitorDryRunBody(desired)).not.toHaveProperty('channels');
    expect(monitorBody(desired, [pd.id, hook.id])).toMatchObject({ labels: { team: 'payments' }, channels: [pd.id, hook.id] });
  });
});

describe('planPolicies', () => {
  const slack = channel('ops-slack');
  const pd = channel('payments-pd', 'pagerduty');
  const audit = webhook('audit');
  const asApplied = policy('payments-critical', { channels: [pd.id, slack.id], escalation: { afterMinutes: 15, channels: [audit.id] } });

  it("compares a policy of the server with the file's, its channels by key", () => {
    expect(planned({ channels: [slack, pd], webhooks: [audit], policies: [asApplied] }).policies.changes.get('payments-critical')).toEqual([]);
    const moved = policy('payments-critical', { channels: [slack.id], match: { labels: { team: 'payments', env: 'prod' }, severities: null, events: null }, reminder: null });
    expect(planned({ channels: [slack, pd], webhooks: [audit], policies: [moved] }).policies.changes.get('payments-critical')).toEqual([
      { path: 'match.labels.env', before: 'prod' },
      // Leaf by leaf, as the API's own dry runs list them.
      { path: 'match.severities.0', after: 'critical' },
      { path: 'match.severities', before: null },
      { path: 'channels.0', before: 'ops-slack', after: 'payments-pd' },
      { path: 'channels.1', after: 'ops-slack' },
      { path: 'reminder.everyMinutes', after: 30 },
      { path: 'reminder', before: null },
      { path: 'escalation.afterMinutes', after: 15 },
      { path: 'escalation.channels.0', after: 'audit' },
      { path: 'escalation', before: null },
    ]);
  });

  it('refuses a default policy of the file while another stays the default on the server', () => {
    const file = 'version: 1\npolicies:\n  - { key: fallback, name: F, default: true, channels: [ops-slack] }\n';
    const other = policy('legacy-default', { default: true, match: { labels: null, severities: null, events: null }, channels: [slack.id] });
    expect(planned({ channels: [slack], policies: [other] }, { file }).policies.issues).toEqual([
      { path: ['policies', 0, 'default'], message: 'policy legacy-default on the server is the default, and the file does not have it (apply with --prune to delete it): there is at most one default policy' },
    ]);
    expect(planned({ channels: [slack], policies: [other] }, { file, prune: true }).policies.issues).toEqual([]);
  });

  it('a create names channels by id and leaves out a match that says nothing; an update is a merge patch that leaves nothing old behind', () => {
    const { config } = planned({});
    const ids = new Map([
      ['payments-pd', pd.id],
      ['ops-slack', slack.id],
      ['audit', audit.id],
    ]);
    const idOf = (key: string): string => ids.get(key)!;
    expect(policyCreateBody(config.policies[0]!, idOf)).toEqual({
      key: 'payments-critical',
      name: 'Payments, critical',
      default: false,
      enabled: true,
      match: { labels: { team: 'payments' }, severities: ['critical'] },
      channels: [pd.id, slack.id],
      reminder: { everyMinutes: 30 },
      escalation: { afterMinutes: 15, channels: [audit.id] },
    });
    const fallback = loadConfigFile('f.yaml', 'version: 1\npolicies:\n  - { key: f, name: F, default: true, channels: [ops-slack] }\n', new Map()).policies[0]!;
    expect(policyCreateBody(fallback, idOf)).not.toHaveProperty('match');

    const live = policy('payments-critical', { channels: [slack.id], match: { labels: { team: 'payments', env: 'prod' }, severities: null, events: ['incident.opened'] }, escalation: null });
    expect(policyPatchBody(live, config.policies[0]!, idOf)).toEqual({
      match: { labels: { env: null }, severities: ['critical'], events: null },
      channels: [pd.id, slack.id],
      escalation: { afterMinutes: 15, channels: [audit.id] },
    });
    expect(policyPatchBody(asApplied, config.policies[0]!, idOf)).toEqual({});
  });
});

describe('mergePatchOf', () => {
  it.each([
    [{ a: 1 }, { a: 1 }, undefined],
    [{ a: 1, b: 2 }, { a: 1 }, { b: null }],
    [{ a: { x: 1, y: 2 } }, { a: { x: 1, y: 3 } }, { a: { y: 3 } }],
    [{ a: [1, 2] }, { a: [2, 1] }, { a: [2, 1] }],
    [{ a: null }, { a: { x: 1 } }, { a: { x: 1 } }],
    [{ a: { x: 1 } }, { a: null }, { a: null }],
  ])('%j -> %j: %j', (before, after, patch) => {
    expect(mergePatchOf(before, after)).toEqual(patch);
  });
});
