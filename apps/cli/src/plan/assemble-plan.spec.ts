import { describe, expect, it } from 'vitest';
import type { FieldChange, LiveChannel, LiveMaintenance, LiveMonitor, LivePolicy, LiveRegion, LiveStatusPage, LiveWebhook } from '../api/wire-shapes';
import { loadConfigFile } from '../config-file/load-config-file';
import { assemblePlan, changeKey } from './assemble-plan';
import type { LiveState } from './live-state';
import { matchResources } from './match-resources';
import type { Plan } from './plan';
import { renderPlan } from './render-plan';

const FILE = `version: 1
regions:
  - name: eu-west
monitors:
  - { key: web, name: Web, url: "https://www.example.com/", regions: [eu-west], intervalSeconds: 60 }
  - { key: api, name: API, url: "https://api.example.com/health", regions: [eu-west, us-east], intervalSeconds: 30 }
webhooks:
  - { key: pager, url: "https://hooks.example.com/crosscheck" }
`;

function monitor(key: string, url: string, revision = 3): LiveMonitor {
  return { id: `mon_${key.padEnd(20, 'a')}`, key, revision, name: key, regions: ['eu-west'], intervalSeconds: 60, spec: { url } };
}
function webhook(key: string, url: string, revision = 1): LiveWebhook {
  return { id: `wh_${key.padEnd(20, 'a')}`, key, revision, url, events: [], description: null, enabled: true };
}
function statusPage(key: string, slug: string, monitorIds: string[] = [], revision = 2): LiveStatusPage {
  return { id: `sp_${key.padEnd(20, 'a')}`, key, revision, slug, title: key, description: null, monitorIds };
}
function region(name: string, managedBy: LiveRegion['managedBy'] = 'operator', monitorCount = 0): LiveRegion {
  return { name, managedBy, monitorCount };
}

function plan(live: LiveState, changes: Record<string, FieldChange[]> = {}, { prune = false, file = FILE } = {}): Plan {
  const config = loadConfigFile('crosscheck.yaml', file, new Map([['PD_KEY', 'k'.repeat(32)], ['SLACK_URL', 'https://hooks.slack.com/services/x']]));
  return assemblePlan({ server: 'http://127.0.0.1:3000', config, digest: 'sha256:x', matched: matchResources(config, live), changes: new Map(Object.entries(changes)), prune });
}

const EMPTY: LiveState = { monitors: [], webhooks: [], regions: [], statusPages: [], maintenance: [], channels: [], policies: [] };

describe('assemblePlan', () => {
  it('on an empty server: every resource a create, in apply order (regions, webhooks, monitors by key)', () => {
    const result = plan(EMPTY);
    expect(result.actions.map((a) => `${a.action} ${a.type} ${a.key}`)).toEqual(['create region eu-west', 'create webhook pager', 'create monitor api', 'create monitor web']);
    expect(renderPlan(result)).toBe(
      ['+ create region eu-west', '+ create webhook pager', '+ create monitor api', '+ create monitor web', '', 'Plan: 4 to create, 0 to update, 0 to delete.', ''].join('\n'),
    );
  });

  it('with the server matching the file: no changes', () => {
    const live: LiveState = {
      monitors: [monitor('api', 'https://api.example.com/health'), monitor('web', 'https://www.example.com/')],
      webhooks: [webhook('pager', 'https://hooks.example.com/crosscheck')],
      regions: [region('eu-west'), region('us-east', 'monitors', 1)],
      statusPages: [],
      maintenance: [],
      channels: [],
      policies: [],
    };
    const result = plan(live, { [changeKey('monitor', 'api')]: [], [changeKey('monitor', 'web')]: [], [changeKey('webhook', 'pager')]: [] });
    expect(result.actions).toEqual([]);
    expect(result.unchanged).toBe(4);
    expect(renderPlan(result)).toBe('No changes.\n');
  });

  it('an update carries the fields the dry run named and the revision the plan read', () => {
    const live: LiveState = { ...EMPTY, monitors: [monitor('api', 'https://api.example.com/health', 4), monitor('web', 'https://www.example.com/')], regions: [region('eu-west')] };
    const result = plan(live, { [changeKey('monitor', 'api')]: [{ path: 'intervalSeconds', before: 60, after: 30 }] });
    expect(result.actions).toContainEqual({ action: 'update', type: 'monitor', key: 'api', id: live.monitors[0]!.id, revision: 4, changes: [{ path: 'intervalSeconds', before: 60, after: 30 }] });
    expect(renderPlan(result)).toContain('~ update monitor api: intervalSeconds 60 -> 30\n');
  });

  it('deletes what the file leaves out only with --prune, and says how many it leaves alone without', () => {
    const live: LiveState = { ...EMPTY, monitors: [monitor('old', 'https://old.example.com/', 7)], webhooks: [webhook('legacy', 'https://legacy.example.com/')], regions: [region('ap-south')] };
    const kept = plan(live);
    expect(kept.actions.filter((a) => a.action === 'delete')).toEqual([]);
    expect(renderPlan(kept)).toContain('3 resources on the server are not in the file (use --prune to delete): monitor old (mon_oldaaaaaaaaaaaaaaaaa), webhook legacy (wh_legacyaaaaaaaaaaaaaa), region ap-south\n');

    const pruned = plan(live, {}, { prune: true });
    expect(pruned.actions.filter((a) => a.action === 'delete').map((a) => `${a.type} ${a.key}`)).toEqual(['monitor old', 'webhook legacy', 'region ap-south']);
    expect(pruned.actions.find((a) => a.key === 'old')).toMatchObject({ revision: 7 });
    expect(renderPlan(pruned)).toContain('Plan: 4 to create, 0 to update, 3 to delete.');
  });

  it('keeps a region the file leaves out while monitors of the file check from it, and never prunes regions monitors brought', () => {
    const file = FILE.replace('regions:\n  - name: eu-west\n', 'regions: []\n');
    const live: LiveState = { ...EMPTY, regions: [region('eu-west'), region('us-east', 'monitors', 1)] };
    const result = plan(live, {}, { prune: true, file });
    expect(result.actions.filter((a) => a.type === 'region')).toEqual([]);
    expect(result.notes).toEqual([expect.stringContaining('region eu-west is not in the file, but monitors of the file check from it: kept')]);
  });

  it('deletes nothing of a type whose section the file does not have', () => {
    const file = 'version: 1\nmonitors: []\n';
    const live: LiveState = { ...EMPTY, monitors: [monitor('old', 'https://old.example.com/')], webhooks: [webhook('legacy', 'https://legacy.example.com/')], regions: [region('ap-south')] };
    expect(plan(live, {}, { prune: true, file }).actions.map((a) => `${a.action} ${a.type} ${a.key}`)).toEqual(['delete monitor old']);
  });

  it('adopts a region the monitors brought as an update to who keeps it', () => {
    const result = plan({ ...EMPTY, regions: [region('eu-west', 'monitors', 2)] });
    expect(renderPlan(result)).toContain('~ update region eu-west: managedBy "monitors" -> "operator"\n    (monitors brought it; an operator keeps it from now on)');
  });

  it('says in words that a new key of a URL the server has under another key is a rename: delete + create', () => {
    const live: LiveState = { ...EMPTY, regions: [region('eu-west')], monitors: [monitor('web', 'https://www.example.com/'), monitor('api-v1', 'https://api.example.com/health')] };
    const unpruned = renderPlan(plan(live, { [changeKey('monitor', 'web')]: [] }));
    expect(unpruned).toContain('+ create monitor api\n    (same URL as monitor api-v1 on the server, which the file no longer has: if this renames it, a key never changes, so renaming is delete + create (run with --prune to delete api-v1))');

    const pruned = renderPlan(plan(live, { [changeKey('monitor', 'web')]: [] }, { prune: true }));
    expect(pruned).toContain('+ create monitor api\n    (replaces monitor api-v1 of the same URL: a key never changes, so renaming it is delete + create)');
    expect(pruned).toContain('- delete monitor api-v1\n    (renamed to api: a key never changes, so the rename deletes api-v1 and creates api)');
  });

  const PAGES = `${FILE}statusPages:
  - { key: public, slug: acme, title: Acme status, monitors: [api, web] }
`;

  it('plans status pages after the monitors they name: creates and updates by key', () => {
    const result = plan(EMPTY, {}, { file: PAGES });
    expect(result.actions.map((a) => `${a.action} ${a.type} ${a.key}`)).toEqual([
      'create region eu-west',
      'create webhook pager',
      'create monitor api',
      'create monitor web',
      'create status-page public',
    ]);
    const live: LiveState = { ...EMPTY, statusPages: [statusPage('public', 'acme', [], 3)] };
    const changed = plan(live, { [changeKey('status-page', 'public')]: [{ path: 'title', before: 'Acme', after: 'Acme status' }] }, { file: PAGES });
    expect(changed.actions).toContainEqual({ action: 'update', type: 'status-page', key: 'public', id: 'sp_publicaaaaaaaaaaaaaa', revision: 3, changes: [{ path: 'title', before: 'Acme', after: 'Acme status' }] });
    expect(renderPlan(changed)).toContain('~ update status-page public: title "Acme" -> "Acme status"\n');
  });

  it('deletes a status page the file leaves out before the pages it writes (a new key may take its slug), with --prune only', () => {
    const live: LiveState = { ...EMPTY, statusPages: [statusPage('old-public', 'acme')] };
    expect(plan(live, {}, { file: PAGES }).notInFile).toEqual([{ type: 'status-page', key: 'old-public', id: statusPage('old-public', 'acme').id }]);
    const pruned = plan(live, {}, { file: PAGES, prune: true });
    const order = pruned.actions.map((a) => `${a.action} ${a.type} ${a.key}`);
    expect(order.indexOf('delete status-page old-public')).toBeLessThan(order.indexOf('create status-page public'));
    expect(order.indexOf('create monitor web')).toBeLessThan(order.indexOf('delete status-page old-public'));
    expect(renderPlan(pruned)).toContain('+ create status-page public\n    (replaces status-page old-public of the same slug: a key never changes, so renaming it is delete + create)');
  });

  const WINDOWS = `${FILE}maintenance:
  - { key: patching, reason: OS patching, monitors: [api, web], startsAt: "2026-11-29T02:00:00Z", endsAt: "2026-11-29T04:00:00Z" }
`;
  function maintenance(key: string, revision = 2): LiveMaintenance {
    return {
      id: `mw_${key.padEnd(20, 'a')}`,
      key,
      revision,
      kind: 'once',
      monitorIds: [],
      labels: { team: 'payments' },
      startsAt: '2026-11-29T02:00:00.000Z',
      endsAt: '2026-11-29T04:00:00.000Z',
      durationMinutes: 120,
      rrule: null,
      cron: null,
      reason: 'x',
    };
  }

  it('plans maintenance windows after the monitors they name, and deletes them (--prune) before any monitor goes', () => {
    expect(plan(EMPTY, {}, { file: WINDOWS }).actions.map((a) => `${a.action} ${a.type} ${a.key}`)).toEqual([
      'create region eu-west',
      'create webhook pager',
      'create monitor api',
      'create monitor web',
      'create maintenance patching',
    ]);
    const live: LiveState = { ...EMPTY, monitors: [monitor('old', 'https://old.example.com/')], maintenance: [maintenance('patching', 4), maintenance('stale')] };
    const changes = { [changeKey('maintenance', 'patching')]: [{ path: 'reason', before: 'x', after: 'OS patching' }] };
    const kept = plan(live, changes, { file: WINDOWS });
    expect(kept.actions).toContainEqual({ action: 'update', type: 'maintenance', key: 'patching', id: 'mw_patchingaaaaaaaaaaaa', revision: 4, changes: changes['maintenance:patching'] });
    expect(kept.notInFile).toContainEqual({ type: 'maintenance', key: 'stale', id: 'mw_staleaaaaaaaaaaaaaaa' });
    expect(renderPlan(kept)).toContain('~ update maintenance patching: reason "x" -> "OS patching"\n');
    const order = plan(live, changes, { file: WINDOWS, prune: true }).actions.map((a) => `${a.action} ${a.type} ${a.key}`);
    expect(order.indexOf('create monitor web')).toBeLessThan(order.indexOf('update maintenance patching'));
    expect(order.indexOf('delete maintenance stale')).toBeGreaterThan(-1);
    expect(order.indexOf('delete maintenance stale')).toBeLessThan(order.indexOf('delete monitor old'));
  });

  const ROUTED = `version: 1
channels:
  - { key: payments-pd, type: pagerduty, name: Payments, routingKey: "\${PD_KEY}" }
  - { key: ops-slack, type: slack, name: Ops, webhookUrl: "\${SLACK_URL}" }
policies:
  - { key: fallback, name: Everything, default: true, channels: [ops-slack] }
  - { key: critical, name: Critical, match: { severities: [critical] }, channels: [payments-pd] }
  - { key: payments, name: Payments, match: { labels: { team: payments } }, channels: [payments-pd] }
monitors:
  - { key: api, name: API, url: "https://api.example.com/health", regions: [eu-west], intervalSeconds: 30, channels: [ops-slack] }
`;
  function channel(key: string, type: string, id = `ch_${key.replace(/[^a-z]/g, '').padEnd(20, 'a')}`): LiveChannel {
    return { id, key, revision: 2, type, name: key, description: null, events: [], routing: 'policies', settings: { type }, secretHints: {}, enabled: true };
  }
  function policy(key: string, isDefault = false): LivePolicy {
    const match = { labels: null, severities: null, events: null };
    return { id: `pol_${key.padEnd(20, 'a')}`, key, revision: 5, name: key, description: null, default: isDefault, enabled: true, match, channels: [], reminder: null, escalation: null };
  }

  it('plans channels before the policies and monitors that name them, a default policy last, and prunes in reverse', () => {
    expect(plan(EMPTY, {}, { file: ROUTED }).actions.map((a) => `${a.action} ${a.type} ${a.key}`)).toEqual([
      'create channel ops-slack',
      'create channel payments-pd',
      'create policy critical',
      'create policy payments',
      'create policy fallback',
      'create monitor api',
    ]);
    // The server's default policy (critical) leaves the default before fallback takes it; what the file drops goes after what names it.
    const pager = webhook('pager', 'https://hooks.example.com/');
    const live: LiveState = {
      ...EMPTY,
      monitors: [monitor('old', 'https://old.example.com/')],
      webhooks: [pager],
      channels: [channel('ops-slack', 'slack'), channel('old-chat', 'slack'), channel('pager', 'webhook', pager.id)],
      policies: [policy('critical', true), policy('stale')],
    };
    const changes = {
      [changeKey('channel', 'ops-slack')]: [],
      [changeKey('policy', 'critical')]: [{ path: 'default', before: true, after: false }],
    };
    const kept = plan(live, changes, { file: ROUTED });
    expect(kept.notInFile.map((ref) => `${ref.type} ${ref.key}`)).toEqual(['policy stale', 'monitor old', 'channel old-chat']);
    expect(plan(live, changes, { file: ROUTED, prune: true }).actions.map((a) => `${a.action} ${a.type} ${a.key}`)).toEqual([
      'create channel payments-pd',
      'delete policy stale',
      'update policy critical',
      'create policy payments',
      'create policy fallback',
      'create monitor api',
      'delete monitor old',
      'delete channel old-chat',
    ]);
    expect(plan(live, changes, { file: ROUTED, prune: true }).unchanged).toBe(1);
  });
});
