import { describe, expect, it } from 'vitest';
import { ConfigFileError, type ConfigFileIssue } from './config-file-error';
import { loadConfigFile } from './load-config-file';

const VALID = `version: 1
regions:
  - name: eu-west
monitors:
  - key: api
    name: API health
    url: https://api.example.com/health
    regions: [eu-west, us-east]
    intervalSeconds: 30
    headers:
      Authorization: Bearer \${API_TOKEN}
    expect:
      status: [200]
      json:
        - { path: $.status, op: equals, value: ok }
webhooks:
  - key: pager
    url: https://hooks.example.com/crosscheck
`;

function issuesOf(file: string, text: string, variables: Record<string, string> = {}): ConfigFileIssue[] {
  try {
    loadConfigFile(file, text, new Map(Object.entries(variables)));
  } catch (error) {
    if (error instanceof ConfigFileError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the file to be refused');
}

const brief = (issues: ConfigFileIssue[]) => issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);

describe('loadConfigFile', () => {
  it('reads a valid file: regions, monitors as API bodies with variables filled in, webhooks with their defaults', () => {
    const config = loadConfigFile('crosscheck.yaml', VALID, new Map([['API_TOKEN', 's3cret']]));
    expect(config.regions.map((r) => r.name)).toEqual(['eu-west']);
    expect(config.monitors).toHaveLength(1);
    expect(config.monitors[0]!.key).toBe('api');
    expect(config.monitors[0]!.body).toMatchObject({ key: 'api', intervalSeconds: 30, headers: { Authorization: 'Bearer s3cret' } });
    expect(config.webhooks[0]!.document).toEqual({
      key: 'pager',
      url: 'https://hooks.example.com/crosscheck',
      events: ['incident.opened', 'incident.updated', 'incident.resolved', 'region.blind', 'region.restored'],
      description: null,
      enabled: true,
    });
    expect(config.declares).toEqual({ regions: true, monitors: true, webhooks: true, channels: false, policies: false, statusPages: false, maintenance: false });
    expect(config.locate(['monitors', 0, 'intervalSeconds'])).toEqual({ line: 9, col: 5 });
  });

  it('names the file, the path in the issue form and the line:column of every field at fault', () => {
    const text = VALID.replace('$.status, op', 'status, op').replace('intervalSeconds: 30', 'intervalSeconds: 0').replace('  - name: eu-west', '  - name: EU West');
    expect(brief(issuesOf('crosscheck.yaml', text, { API_TOKEN: 'x' }))).toEqual([
      '3:5 regions[0].name: must be 1-32 lower-case letters, digits or "-", starting with a letter or digit',
      '9:5 monitors[0].intervalSeconds: must be at least 1',
      '15:13 monitors[0].expect.json[0].path: must start with "$", e.g. "$.status" or "$.checks[0].state"',
    ]);
  });

  it('points a required field left out at the entry that lacks it, and an unknown one at its key', () => {
    const text = 'version: 1\nmonitors:\n  - key: api\n    name: API\n    url: https://a.example/\n    intervalSeconds: 30\n    colour: blue\n';
    expect(brief(issuesOf('f.yaml', text))).toEqual(['3:5 monitors[0].regions: is required', '7:5 monitors[0].colour: unknown field']);
  });

  it('requires a key on every monitor and webhook, and refuses two of one key', () => {
    const text = `version: 1
monitors:
  - { name: A, url: "https://a.example/", regions: [r], intervalSeconds: 30 }
  - { key: a, name: A, url: "https://a.example/", regions: [r], intervalSeconds: 30 }
  - { key: a, name: B, url: "https://b.example/", regions: [r], intervalSeconds: 30 }
webhooks:
  - { url: "https://h.example/" }
`;
    expect(brief(issuesOf('f.yaml', text))).toEqual([
      '3:5 monitors[0].key: is required: the file addresses each monitor by its key',
      '5:7 monitors[2].key: duplicate monitor key "a" (also monitors[1]): each monitor needs its own',
      '7:5 webhooks[0].key: is required: the file addresses each webhook by its key',
    ]);
  });

  it('refuses a key written twice in one mapping, with its line', () => {
    expect(brief(issuesOf('f.yaml', 'version: 1\nmonitors:\n  - key: a\n    name: A\n    key: b\n'))).toEqual(['5:5 : duplicate key "key": a key may appear once per mapping']);
    expect(brief(issuesOf('f.json', '{\n  "version": 1,\n  "version": 1\n}\n'))).toEqual(['3:3 : duplicate key "version": a key may appear once per mapping']);
  });

  it('reads JSON files with the same paths and lines', () => {
    const json = JSON.stringify({ version: 1, monitors: [{ key: 'a', name: 'A', url: 'ftp://a.example/', regions: ['r'], intervalSeconds: 30 }] }, null, 2);
    expect(brief(issuesOf('crosscheck.json', json))).toEqual(['7:7 monitors[0].url: must be an absolute http:// or https:// URL']);
  });

  it('names every missing variable and where it is used, and no schema issue its placeholder causes', () => {
    const text = 'version: 1\nmonitors:\n  - key: a\n    name: A\n    url: ${BASE_URL}/health\n    regions: [r]\n    intervalSeconds: 30\n    headers: { X-Api-Key: "${KEY}" }\n';
    expect(brief(issuesOf('f.yaml', text))).toEqual([
      '5:5 monitors[0].url: uses the environment variable BASE_URL, which is not set',
      '8:16 monitors[0].headers.X-Api-Key: uses the environment variable KEY, which is not set',
    ]);
  });

  it('checks the top of the file: version and known sections', () => {
    expect(brief(issuesOf('f.yaml', 'version: 2\nmonitor: []\n'))).toEqual([
      '1:1 version: must be 1, the version of the file format this CLI reads',
      '2:1 monitor: unknown field (expected $schema, version, regions, monitors, webhooks, channels, policies, statusPages, maintenance)',
    ]);
    expect(brief(issuesOf('f.yaml', 'monitors: []\n'))).toEqual(['1:1 version: is required']);
  });

  it('leaves sections out of what the file manages when they are absent', () => {
    const config = loadConfigFile('f.yaml', 'version: 1\nmonitors: []\n', new Map());
    expect(config.declares).toEqual({ regions: false, monitors: true, webhooks: false, channels: false, policies: false, statusPages: false, maintenance: false });
  });

  it('reads status pages, their monitors by key, a description left out as none', () => {
    const config = loadConfigFile('crosscheck.yaml', `${VALID}statusPages:\n  - { key: public, slug: acme, title: Acme status, monitors: [api] }\n`, new Map([['API_TOKEN', 't']]));
    expect(config.statusPages).toEqual([{ key: 'public', document: { key: 'public', slug: 'acme', title: 'Acme status', description: null, monitors: ['api'] }, path: ['statusPages', 0] }]);
    expect(config.declares.statusPages).toBe(true);
  });

  it('refuses a status page with a bad slug, no title, a repeated monitor, or the slug of another page', () => {
    const file = `version: 1
statusPages:
  - key: public
    slug: Acme_Status
    monitors: [api, api]
  - { key: other, slug: ok, title: Other, monitors: [] }
  - { key: third, slug: ok, title: Third, monitors: [] }
`;
    expect(brief(issuesOf('crosscheck.yaml', file))).toEqual([
      '3:5 statusPages[0].title: is required',
      '4:5 statusPages[0].slug: must be 1-63 of a-z, 0-9 and "-", neither starting nor ending with "-"',
      '5:21 statusPages[0].monitors[1]: duplicate monitor api',
      '7:19 statusPages[2].slug: duplicate status page slug "ok" (also statusPages[1]): each status page needs its own',
    ]);
  });

  it('reads maintenance windows, their monitors by key or labels, a one-off of durationMinutes by its end', () => {
    const file = `${VALID}maintenance:
  - { key: db, reason: " Database upgrade ", monitors: [api], startsAt: "2026-12-05T03:00:00+02:00", durationMinutes: 90 }
  - { key: sunday, reason: OS patching, labels: { team: payments }, startsAt: "2026-11-29T02:00:00Z", durationMinutes: 120, cron: "0 2 * * SUN" }
`;
    const config = loadConfigFile('crosscheck.yaml', file, new Map([['API_TOKEN', 't']]));
    expect(config.maintenance).toEqual([
      { key: 'db', path: ['maintenance', 0], document: { key: 'db', monitors: ['api'], startsAt: '2026-12-05T01:00:00.000Z', endsAt: '2026-12-05T02:30:00.000Z', reason: 'Database upgrade' } },
      {
        key: 'sunday',
        path: ['maintenance', 1],
        document: { key: 'sunday', labels: { team: 'payments' }, startsAt: '2026-11-29T02:00:00.000Z', durationMinutes: 120, cron: '0 2 * * SUN', reason: 'OS patching' },
      },
    ]);
    expect(config.declares.maintenance).toBe(true);
  });

  it('refuses an ad-hoc window naming startsAt, and says what the API says of the rest, monitors for monitorIds', () => {
    const file = `version: 1
maintenance:
  - key: now
    reason: Hotfix
    monitors: [api]
    durationMinutes: 30
  - key: later
    reason: Hotfix
    monitors: [api]
    startsAt: now
    endsAt: "2026-12-05T01:00:00Z"
  - key: weekly
    reason: Weekly
    monitors: [api, api]
    startsAt: "2026-11-29T02:00:00Z"
    endsAt: "2026-11-29T04:00:00Z"
    rrule: FREQ=HOURLY
  - { key: none, reason: x, monitors: [], startsAt: "2026-11-29T02:00:00Z", endsAt: "2026-11-29T01:00:00Z" }
  - { key: ids, reason: "", monitorIds: [mon_aaaaaaaaaaaaaaaaaaaa], startsAt: "2026-11-29T02:00:00Z", endsAt: "2026-11-29T03:00:00Z" }
`;
    const adHoc = 'a window in a file starts at a set time (2026-11-29T02:00:00Z); an ad-hoc window ("from now") is made with POST /v1/maintenance, not declared';
    expect(brief(issuesOf('crosscheck.yaml', file))).toEqual([
      `3:5 maintenance[0].startsAt: is required: ${adHoc}`,
      `10:5 maintenance[1].startsAt: must be a time, not "now": ${adHoc}`,
      '12:5 maintenance[2].durationMinutes: is required for a recurring window (how long each occurrence lasts)',
      '14:21 maintenance[2].monitors[1]: duplicate monitor api',
      '16:5 maintenance[2].endsAt: a recurring window ends by its rule (UNTIL or COUNT); give durationMinutes for each occurrence',
      '17:5 maintenance[2].rrule: FREQ must be DAILY, WEEKLY or MONTHLY',
      '18:29 maintenance[3].monitors: name at least one monitor (or select them by labels)',
      '18:77 maintenance[3].endsAt: must be after startsAt',
      '19:17 maintenance[4].reason: must not be empty',
      '19:29 maintenance[4].monitorIds: unknown field: a file names monitors by key (monitors)',
    ]);
  });
});
