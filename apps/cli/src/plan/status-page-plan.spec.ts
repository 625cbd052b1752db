import { describe, expect, it } from 'vitest';
import type { LiveMonitor, LiveStatusPage } from '../api/wire-shapes';
import { loadConfigFile } from '../config-file/load-config-file';
import type { LiveState } from './live-state';
import { matchResources } from './match-resources';
import { planStatusPages } from './status-page-plan';

function monitor(key: string): LiveMonitor {
  return { id: `mon_${key.padEnd(20, 'a')}`, key, revision: 1, name: key, regions: ['eu-west'], intervalSeconds: 60, spec: { url: `https://${key}.example.com/` } };
}
function page(key: string, slug: string, monitorIds: string[]): LiveStatusPage {
  return { id: `sp_${key.padEnd(20, 'a')}`, key, revision: 1, slug, title: 'Acme', description: null, monitorIds };
}

const FILE = `version: 1
monitors:
  - { key: api, name: API, url: "https://api.example.com/", regions: [eu-west], intervalSeconds: 60 }
statusPages:
  - key: public
    slug: acme
    title: Acme
    monitors: [api, legacy]
`;

function planned(live: Partial<LiveState>, { prune = false, file = FILE } = {}) {
  const config = loadConfigFile('crosscheck.yaml', file, new Map());
  const state: LiveState = { monitors: [], webhooks: [], regions: [], statusPages: [], maintenance: [], channels: [], policies: [], ...live };
  return planStatusPages(config, state, matchResources(config, state), prune);
}

describe('planStatusPages', () => {
  it('accepts a monitor key of the file (created by this apply) or of the server', () => {
    expect(planned({ monitors: [monitor('legacy')] }).issues).toEqual([]);
  });

  it('names each monitor key that is neither, and one this apply prunes, at its place in the file', () => {
    expect(planned({}).issues).toEqual([{ path: ['statusPages', 0, 'monitors', 1], message: 'unknown monitor key "legacy": neither a monitor of this file nor one on the server' }]);
    expect(planned({ monitors: [monitor('legacy')] }, { prune: true }).issues).toEqual([
      { path: ['statusPages', 0, 'monitors', 1], message: "monitor legacy is deleted by this apply (--prune: it is not in the file's monitors)" },
    ]);
  });

  it('refuses a slug held by a page of the server the file does not have, unless --prune deletes it', () => {
    const live = { monitors: [monitor('legacy')], statusPages: [page('other', 'acme', [])] };
    expect(planned(live).issues).toEqual([
      { path: ['statusPages', 0, 'slug'], message: 'slug "acme" is taken by status page other on the server, which the file does not have (apply with --prune to delete it)' },
    ]);
    // Pruned, the page goes first; the monitor it names goes too (the file's monitors lack it).
    expect(planned(live, { prune: true }).issues.map((issue) => issue.path.join('.'))).toEqual(['statusPages.0.monitors.1']);
  });

  it('compares a page of the server with the file, its monitors by key', () => {
    const legacy = monitor('legacy');
    const api = monitor('api');
    const { changes } = planned({ monitors: [legacy, api], statusPages: [page('public', 'acme', [legacy.id, api.id])] });
    expect(changes.get('public')).toEqual([
      { path: 'monitors.0', before: 'legacy', after: 'api' },
      { path: 'monitors.1', before: 'api', after: 'legacy' },
    ]);
    const same = planned({ monitors: [legacy, api], statusPages: [page('public', 'acme', [api.id, legacy.id])] });
    expect(same.changes.get('public')).toEqual([]);
  });
});
