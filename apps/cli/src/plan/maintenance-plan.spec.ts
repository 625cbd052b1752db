import { describe, expect, it } from 'vitest';
import type { LiveMaintenance, LiveMonitor } from '../api/wire-shapes';
import { loadConfigFile } from '../config-file/load-config-file';
import type { LiveState } from './live-state';
import { liveMaintenanceDocument, maintenanceBody, planMaintenance } from './maintenance-plan';
import { matchResources } from './match-resources';

function monitor(key: string): LiveMonitor {
  return { id: `mon_${key.padEnd(20, 'a')}`, key, revision: 1, name: key, regions: ['eu-west'], intervalSeconds: 60, spec: { url: `https://${key}.example.com/` } };
}
function window(key: string, fields: Partial<LiveMaintenance> = {}): LiveMaintenance {
  return {
    id: `mw_${key.padEnd(20, 'a')}`,
    key,
    revision: 2,
    kind: 'rrule',
    monitorIds: [],
    labels: null,
    startsAt: '2026-11-29T02:00:00.000Z',
    endsAt: null,
    durationMinutes: 120,
    rrule: 'FREQ=WEEKLY;BYDAY=SU',
    cron: null,
    reason: 'OS patching',
    ...fields,
  };
}

const FILE = `version: 1
monitors:
  - { key: api, name: API, url: "https://api.example.com/", regions: [eu-west], intervalSeconds: 60 }
maintenance:
  - key: sunday
    reason: OS patching
    monitors: [api, legacy]
    startsAt: "2026-11-29T02:00:00Z"
    durationMinutes: 120
    rrule: FREQ=WEEKLY;BYDAY=SU
`;

function planned(live: Partial<LiveState>, { prune = false, file = FILE } = {}) {
  const config = loadConfigFile('crosscheck.yaml', file, new Map());
  const state: LiveState = { monitors: [], webhooks: [], regions: [], statusPages: [], maintenance: [], channels: [], policies: [], ...live };
  return { config, ...planMaintenance(config, state, matchResources(config, state), prune) };
}

describe('planMaintenance', () => {
  it('accepts a monitor key of the file (created by this apply) or of the server', () => {
    expect(planned({ monitors: [monitor('legacy')] }).issues).toEqual([]);
  });

  it('names each monitor key that is neither, and one this apply prunes, at its place in the file', () => {
    expect(planned({}).issues).toEqual([{ path: ['maintenance', 0, 'monitors', 1], message: 'unknown monitor key "legacy": neither a monitor of this file nor one on the server' }]);
    expect(planned({ monitors: [monitor('legacy')] }, { prune: true }).issues).toEqual([
      { path: ['maintenance', 0, 'monitors', 1], message: "monitor legacy is deleted by this apply (--prune: it is not in the file's monitors)" },
    ]);
  });

  it('compares a window of the server with the file in the API fields, its monitors by key', () => {
    const legacy = monitor('legacy');
    const api = monitor('api');
    const same = planned({ monitors: [legacy, api], maintenance: [window('sunday', { monitorIds: [api.id, legacy.id] })] });
    expect(same.changes.get('sunday')).toEqual([]);
    const moved = planned({ monitors: [legacy, api], maintenance: [window('sunday', { monitorIds: [api.id], rrule: 'FREQ=WEEKLY;BYDAY=SA', durationMinutes: 60 })] });
    expect(moved.changes.get('sunday')).toEqual([
      { path: 'monitors.1', before: undefined, after: 'legacy' },
      { path: 'durationMinutes', before: 60, after: 120 },
      { path: 'rrule', before: 'FREQ=WEEKLY;BYDAY=SA', after: 'FREQ=WEEKLY;BYDAY=SU' },
    ]);
  });

  it('sees a one-off window turned recurring: its end goes, a duration and a rule come', () => {
    const api = monitor('api');
    const legacy = monitor('legacy');
    const once = window('sunday', { kind: 'once', monitorIds: [api.id, legacy.id], endsAt: '2026-11-29T04:00:00.000Z', rrule: null });
    expect(planned({ monitors: [api, legacy], maintenance: [once] }).changes.get('sunday')).toEqual([
      { path: 'durationMinutes', before: undefined, after: 120 },
      { path: 'rrule', before: undefined, after: 'FREQ=WEEKLY;BYDAY=SU' },
      { path: 'endsAt', before: '2026-11-29T04:00:00.000Z', after: undefined },
    ]);
  });
});

describe('maintenanceBody', () => {
  it('sends monitor ids for monitor keys, and labels as they are', () => {
    const { config } = planned({ monitors: [monitor('legacy')] });
    expect(maintenanceBody(config.maintenance[0]!, ['mon_1', 'mon_2'])).toEqual({
      key: 'sunday',
      monitorIds: ['mon_1', 'mon_2'],
      startsAt: '2026-11-29T02:00:00.000Z',
      durationMinutes: 120,
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      reason: 'OS patching',
    });
    const labelled = liveMaintenanceDocument(window('by-team', { labels: { team: 'payments' } }), new Map());
    expect(maintenanceBody({ key: 'by-team', document: labelled, path: [] }, [])).toEqual({
      key: 'by-team',
      labels: { team: 'payments' },
      startsAt: '2026-11-29T02:00:00.000Z',
      durationMinutes: 120,
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      reason: 'OS patching',
    });
  });
});
