/**
 * Monitoring as code, end to end: the real built CLI (`node apps/cli/dist/main.js`) as a child
 * process against a real coordinator on a Redis of the suite's own. Validate an invalid file,
 * plan on an empty system, apply, apply again (no changes), change one interval (one update
 * naming the field), prune one monitor, export and plan the export (no changes), rename a key
 * (delete + create, in words), and two racing applies: one gets a clear conflict and nothing of
 * it is half-applied. Status pages: planned and applied with a monitor the same apply creates,
 * refused naming an unknown monitor key, changed, exported (monitors by key) and pruned.
 * Maintenance windows likewise: planned and applied naming a monitor the same apply creates (a
 * one-off by duration and a recurring one), updated naming the fields, exported (no changes) and
 * pruned. Notification channels and policies likewise: a PagerDuty and a Slack channel (secrets
 * as ${ENV} references; a literal one refused) and policies naming them by key, created before
 * the policies and the monitor that names them, unchanged on a second apply, a rotated secret
 * seen by its last 4 characters, exported (placeholders; no changes) and pruned policies first.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, describeRun, runCli, type CliRun } from './support/cli';
import { freePort } from './support/net';
import { startRedis, type TestRedis } from './support/redis-server';
import { ApiClient, startCoordinator, stopAllSystemProcesses, type Coordinator } from './support/system';

const TOKEN = 'e2e-cli-config-token-0123456789';
const API_SECRET = 'e2e-bearer-9f8e7d';
const EXIT = { ok: 0, changesPending: 1, failure: 2 } as const;

interface Monitor {
  id: string;
  key: string;
  revision: number;
  name: string;
  intervalSeconds: number;
  spec: { url: string; headers: Record<string, string>; expect?: unknown };
}

/** The file of the suite: three monitors with expectations, a webhook, a region. */
function crosscheckYaml({ apiInterval = 30, webName = 'Storefront', webInterval = 60, withSearch = true, webKey = 'web' } = {}): string {
  const search = `  - key: search
    name: Search API
    url: http://127.0.0.1:9/search?q=health
    regions: [cli-eu, cli-us]
    intervalSeconds: 120
    expect:
      status: [200]
      body: { notContains: ["maintenance"] }
`;
  return `# The suite's configuration.
version: 1
regions:
  - name: cli-eu
monitors:
  - key: api
    name: Checkout API
    url: http://127.0.0.1:9/health
    regions: [cli-eu, cli-us]
    intervalSeconds: ${apiInterval}
    headers:
      Authorization: Bearer \${E2E_API_SECRET}
    expect:
      status: [200]
      json:
        - { path: $.status, op: equals, value: ok }
        - { path: $.checks.database, op: equals, value: up }
      latency: { degradedMs: 800 }
  - key: ${webKey}
    name: ${webName}
    url: http://127.0.0.1:9/
    regions: [cli-eu]
    intervalSeconds: ${webInterval}
    expect:
      body: { contains: ["<title>Shop</title>"] }
${withSearch ? search : ''}webhooks:
  - key: pager
    url: http://127.0.0.1:9/hooks/crosscheck
    events: [incident.opened, incident.resolved]
    description: on-call pager
`;
}

let redis: TestRedis;
let coordinator: Coordinator;
let api: ApiClient;
let dir: string;

/** Writes `text` to a file of the suite's directory; returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function crosscheck(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { env: { CROSSCHECK_URL: coordinator.baseUrl, CROSSCHECK_TOKEN: TOKEN, E2E_API_SECRET: API_SECRET, ...env } });
}

async function monitors(): Promise<Monitor[]> {
  const page = await api.get<{ items: Monitor[] }>('/v1/monitors?limit=200');
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  return page.body.items;
}

async function monitorByKey(key: string): Promise<Monitor | undefined> {
  return (await monitors()).find((monitor) => monitor.key === key);
}

beforeAll(async () => {
  assertCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'crosscheck-cli-config-'));
  // A Redis of the suite's own (restartable skips the run's shared REDIS_URL): plans see only this suite's resources.
  redis = await startRedis({ restartable: true });
  coordinator = await startCoordinator({ redisUrl: redis.url, token: TOKEN, name: 'coordinator-cli-config' });
  api = new ApiClient(coordinator.baseUrl, TOKEN);
});

afterAll(async () => {
  await stopAllSystemProcesses();
  await redis?.stop();
});

describe('crosscheck validate / plan / apply / export', () => {
  it('validate refuses an invalid file, naming the file, the path and the line, with exit 2', async () => {
    const text = crosscheckYaml().replace('{ path: $.checks.database,', '{ path: checks.database,');
    const path = file('invalid.yaml', text);
    const line = text.split('\n').findIndex((l) => l.includes('path: checks.database')) + 1;
    const run = await crosscheck(['validate', '-f', path]);
    expect(run.exitCode, describeRun(run)).toBe(EXIT.failure);
    expect(run.stderr).toContain(`${path}:${line}:`);
    expect(run.stderr).toContain('monitors[0].expect.json[1].path: must start with "$"');

    const valid = await crosscheck(['validate', '-f', file('crosscheck.yaml', crosscheckYaml())]);
    expect(valid.exitCode, describeRun(valid)).toBe(EXIT.ok);
    expect(valid.stdout).toContain('is valid: 3 monitors, 1 webhooks, 0 channels, 0 policies, 0 status pages, 0 maintenance windows, 1 regions');
  });

  it('says which server it cannot reach', async () => {
    const url = `http://127.0.0.1:${await freePort('127.0.0.1')}`;
    const run = await crosscheck(['plan', '-f', join(dir, 'crosscheck.yaml'), '--url', url]);
    expect(run.exitCode, describeRun(run)).toBe(EXIT.failure);
    expect(run.stderr).toContain(`cannot reach the coordinator at ${url}`);
    expect(run.stderr).not.toContain(TOKEN);
  });

  it('plans on an empty system: one create per resource, and nothing written', async () => {
    const run = await crosscheck(['plan', '-f', join(dir, 'crosscheck.yaml'), '--exit-code']);
    expect(run.exitCode, describeRun(run)).toBe(EXIT.changesPending);
    expect(run.stdout).toBe(
      ['+ create region cli-eu', '+ create webhook pager', '+ create monitor api', '+ create monitor search', '+ create monitor web', '', 'Plan: 5 to create, 0 to update, 0 to delete.', ''].join('\n'),
    );
    expect(await monitors()).toEqual([]);
    expect((await api.get<{ items: unknown[] }>('/v1/webhooks')).body.items).toEqual([]);
  });

  it('refuses to apply without a terminal to confirm on unless --yes is given', async () => {
    const run = await crosscheck(['apply', '-f', join(dir, 'crosscheck.yaml')]);
    expect(run.exitCode, describeRun(run)).toBe(EXIT.failure);
    expect(run.stderr).toContain('pass --yes');
    expect(await monitors()).toEqual([]);
  });

  it('applies the file, then applying it again changes nothing', async () => {
    const secretsFile = join(dir, 'secrets.json');
    const applied = await crosscheck(['apply', '-f', join(dir, 'crosscheck.yaml'), '--yes', '--secrets-out', secretsFile]);
    expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
    expect(applied.stdout).toContain('Apply complete: 5 created, 0 updated, 0 deleted.');
    // The webhook's signing secret, shown by the API once, goes to the file and into no log.
    const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as { webhook: string; secret: string }[];
    expect(secrets).toEqual([expect.objectContaining({ webhook: 'pager', secret: expect.stringMatching(/^whsec_/) })]);
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(applied.stdout + applied.stderr).not.toContain(secrets[0]!.secret);
    const live = await monitors();
    expect(live.map((m) => m.key).sort()).toEqual(['api', 'search', 'web']);
    expect(live.find((m) => m.key === 'api')).toMatchObject({ name: 'Checkout API', intervalSeconds: 30, revision: 1, spec: { headers: { Authorization: '[redacted]' } } });

    const again = await crosscheck(['apply', '-f', join(dir, 'crosscheck.yaml'), '--yes']);
    expect(again.exitCode, describeRun(again)).toBe(EXIT.ok);
    expect(again.stdout).toContain('No changes.');
    const plan = await crosscheck(['plan', '-f', join(dir, 'crosscheck.yaml'), '--exit-code']);
    expect(plan.exitCode, describeRun(plan)).toBe(EXIT.ok);
    expect(plan.stdout).toBe('No changes.\n');
  });

  it('sees a changed secret only through the server (the dry run compares what it alone can open)', async () => {
    const run = await crosscheck(['plan', '-f', join(dir, 'crosscheck.yaml')], { E2E_API_SECRET: 'another-secret' });
    expect(run.exitCode, describeRun(run)).toBe(EXIT.ok);
    expect(run.stdout).toContain('~ update monitor api: headers.Authorization (secret) changed');
    expect(run.stdout).not.toContain('another-secret');
  });

  it('changing one interval is one update naming the field', async () => {
    const path = file('crosscheck.yaml', crosscheckYaml({ apiInterval: 15 }));
    const plan = await crosscheck(['plan', '-f', path]);
    expect(plan.stdout, describeRun(plan)).toBe('~ update monitor api: intervalSeconds 30 -> 15\n\nPlan: 0 to create, 1 to update, 0 to delete.\n');
    const json = await crosscheck(['plan', '-f', path, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ actions: [{ action: 'update', type: 'monitor', key: 'api', revision: 1, changes: [{ path: 'intervalSeconds', before: 30, after: 15 }] }] });

    const applied = await crosscheck(['apply', '-f', path, '--yes']);
    expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
    expect(await monitorByKey('api')).toMatchObject({ intervalSeconds: 15, revision: 2 });
  });

  it('a monitor left out of the file is deleted with --prune only', async () => {
    const path = file('crosscheck.yaml', crosscheckYaml({ apiInterval: 15, withSearch: false }));
    const plan = await crosscheck(['plan', '-f', path]);
    expect(plan.stdout, describeRun(plan)).toContain('1 resource on the server is not in the file (use --prune to delete): monitor search');
    expect(plan.stdout).toContain('No changes.');

    const pruned = await crosscheck(['plan', '-f', path, '--prune']);
    expect(pruned.stdout, describeRun(pruned)).toBe('- delete monitor search\n\nPlan: 0 to create, 0 to update, 1 to delete.\n');
    const applied = await crosscheck(['apply', '-f', path, '--prune', '--yes']);
    expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
    expect((await monitors()).map((m) => m.key).sort()).toEqual(['api', 'web']);
  });

  it('exports the live configuration as a file that plans with no changes (the secret as a placeholder)', async () => {
    const exported = join(dir, 'exported.yaml');
    const run = await crosscheck(['export', '-o', exported]);
    expect(run.exitCode, describeRun(run)).toBe(EXIT.ok);
    expect(run.stderr).toContain('CROSSCHECK_API_HEADER_AUTHORIZATION');

    const missing = await crosscheck(['plan', '-f', exported, '--prune']);
    expect(missing.exitCode, describeRun(missing)).toBe(EXIT.failure);
    expect(missing.stderr).toContain('uses the environment variable CROSSCHECK_API_HEADER_AUTHORIZATION, which is not set');

    const plan = await crosscheck(['plan', '-f', exported, '--prune', '--exit-code'], { CROSSCHECK_API_HEADER_AUTHORIZATION: `Bearer ${API_SECRET}` });
    expect(plan.exitCode, describeRun(plan)).toBe(EXIT.ok);
    expect(plan.stdout).toBe('No changes.\n');
  });

  it('renaming a key is a delete and a create, and the plan says so', async () => {
    const path = file('renamed.yaml', crosscheckYaml({ apiInterval: 15, withSearch: false, webKey: 'storefront' }));
    const plan = await crosscheck(['plan', '-f', path, '--prune']);
    expect(plan.stdout, describeRun(plan)).toContain('+ create monitor storefront\n    (replaces monitor web of the same URL: a key never changes, so renaming it is delete + create)');
    expect(plan.stdout).toContain('- delete monitor web\n    (renamed to storefront');
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to update, 1 to delete.');
  });

  it('two applies of plans made at the same revisions: one lands whole, the other gets a clear conflict and writes nothing', async () => {
    const a = file('race-a.yaml', crosscheckYaml({ apiInterval: 20, webName: 'Storefront A', webInterval: 40, withSearch: false }));
    const b = file('race-b.yaml', crosscheckYaml({ apiInterval: 25, webName: 'Storefront B', webInterval: 50, withSearch: false }));
    const planA = await crosscheck(['plan', '-f', a, '--out', join(dir, 'race-a.plan.json')]);
    const planB = await crosscheck(['plan', '-f', b, '--out', join(dir, 'race-b.plan.json')]);
    expect(planA.stdout, describeRun(planA)).toContain('Plan: 0 to create, 2 to update, 0 to delete.');
    expect(planB.stdout, describeRun(planB)).toContain('Plan: 0 to create, 2 to update, 0 to delete.');

    const [runA, runB] = await Promise.all([
      crosscheck(['apply', '-f', a, '--plan', join(dir, 'race-a.plan.json'), '--yes']),
      crosscheck(['apply', '-f', b, '--plan', join(dir, 'race-b.plan.json'), '--yes']),
    ]);
    const runs = [runA, runB];
    expect(runs.map((run) => run.exitCode).sort(), runs.map(describeRun).join('\n\n')).toEqual([EXIT.ok, EXIT.failure]);
    const loser = runs.find((run) => run.exitCode === EXIT.failure)!;
    // It found the lock held, or took it after the winner and found its plan stale: either way, before its first write.
    expect(loser.stderr).toMatch(
      /conflict: (the configuration is being applied by .+; nothing was applied|monitor (api|web) changed since the plan \(revision \d+, plan read \d+\); nothing was applied; run plan again)/,
    );
    const winner = runA.exitCode === EXIT.ok ? { interval: 20, name: 'Storefront A', webInterval: 40 } : { interval: 25, name: 'Storefront B', webInterval: 50 };
    expect(await monitorByKey('api')).toMatchObject({ intervalSeconds: winner.interval });
    expect(await monitorByKey('web')).toMatchObject({ name: winner.name, intervalSeconds: winner.webInterval });
  });

  it('two applies that race from the start: the configuration ends up entirely one of them, and a loser says conflict and writes nothing', async () => {
    const c = file('race-c.yaml', crosscheckYaml({ apiInterval: 11, webName: 'Storefront C', webInterval: 33, withSearch: false }));
    const d = file('race-d.yaml', crosscheckYaml({ apiInterval: 12, webName: 'Storefront D', webInterval: 44, withSearch: false }));
    const runs = await Promise.all([crosscheck(['apply', '-f', c, '--yes']), crosscheck(['apply', '-f', d, '--yes'])]);
    for (const run of runs) {
      expect([EXIT.ok, EXIT.failure], describeRun(run)).toContain(run.exitCode);
      if (run.exitCode === EXIT.failure) expect(run.stderr).toMatch(/conflict: .*nothing was applied/);
    }
    const web = await monitorByKey('web');
    const api = await monitorByKey('api');
    // Never half of one and half of the other.
    expect([
      { web: 'Storefront C', webInterval: 33, apiInterval: 11 },
      { web: 'Storefront D', webInterval: 44, apiInterval: 12 },
    ]).toContainEqual({ web: web?.name, webInterval: web?.intervalSeconds, apiInterval: api?.intervalSeconds });

    // Whatever happened, a plan made now and applied converges.
    const settled = await crosscheck(['apply', '-f', c, '--yes']);
    expect(settled.exitCode, describeRun(settled)).toBe(EXIT.ok);
    const again = await crosscheck(['plan', '-f', c]);
    expect(again.stdout, describeRun(again)).toBe('No changes.\n');
  });

  it('regions add prints, once, the environment an agent of the region works with, and a docker run line', async () => {
    const run = await crosscheck(['regions', 'add', 'cli-onboard']);
    expect(run.exitCode, describeRun(run)).toBe(EXIT.ok);
    expect(run.stdout).toContain('region cli-onboard created.');
    const url = /^ {2}REDIS_URL=(\S+)$/m.exec(run.stdout)?.[1];
    expect(run.stdout).toMatch(/^ {2}REGION=cli-onboard$/m);
    expect(url).toMatch(/^redis:\/\/agent-cli-onboard:[A-Za-z0-9_-]{43}@127\.0\.0\.1:\d+/);
    expect(run.stdout).toContain(`docker run --rm --network host -e REGION=cli-onboard -e REDIS_URL=${url!}`);

    // The URL is the region's agents' own: it logs in, and it reaches nothing of the coordinator's.
    const agentRedis = new Redis(url!, { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    try {
      await agentRedis.connect();
      expect(await agentRedis.ping()).toBe('PONG');
      await expect(agentRedis.get('cc:{c}:regions')).rejects.toThrow(/NOPERM/);
    } finally {
      agentRedis.disconnect();
    }
    const removed = await crosscheck(['regions', 'rm', 'cli-onboard']);
    expect(removed.exitCode, describeRun(removed)).toBe(EXIT.ok);
  });

  it('reads monitors by key and lists them', async () => {
    const get = await crosscheck(['monitors', 'get', 'api', '--json']);
    expect(get.exitCode, describeRun(get)).toBe(EXIT.ok);
    expect(JSON.parse(get.stdout)).toMatchObject({ key: 'api', intervalSeconds: 11 });
    const ls = await crosscheck(['monitors', 'ls']);
    expect(ls.stdout, describeRun(ls)).toMatch(/^KEY\s+ID\s+NAME\s+EVERY\s+REGIONS\s+URL\napi\s+mon_/);
  });
  it('an apply that finds the configuration lock held writes nothing, names the holder, and waits for it with --lock-timeout', async () => {
    const c = file('locked.yaml', crosscheckYaml({ apiInterval: 13, webName: 'Storefront C', webInterval: 33, withSearch: false }));
    const before = await monitorByKey('api');
    const taken = await api.post<{ token: string }>('/v1/apply-lock', { holder: 'release-train@ci-7', ttlSeconds: 60 });
    expect(taken.status).toBe(201);

    const refused = await crosscheck(['apply', '-f', c, '--yes']);
    expect(refused.exitCode, describeRun(refused)).toBe(EXIT.failure);
    expect(refused.stderr).toMatch(/conflict: the configuration is being applied by release-train@ci-7 \(since .+, lease until .+\); nothing was applied/);
    expect(await monitorByKey('api')).toMatchObject({ intervalSeconds: before?.intervalSeconds, revision: before?.revision });

    // Released while the second one waits: it goes on.
    const waiting = crosscheck(['apply', '-f', c, '--yes', '--lock-timeout', '20s']);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await api.request('DELETE', `/v1/apply-lock/${taken.body.token}`)).status).toBe(204);
    const applied = await waiting;
    expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
    expect(await monitorByKey('api')).toMatchObject({ intervalSeconds: 13 });
    expect((await api.get<{ held: boolean }>('/v1/apply-lock')).body).toEqual({ held: false });
  });

  describe('status pages in the file', () => {
    /** The configuration as the lock test left it, a monitor more, and a status page naming monitors by key. */
    function withPage({ title = 'Acme status', monitors = '[api, checkout-status, web]', page = true } = {}): string {
      const monitor = `  - key: checkout-status
    name: Checkout (status page)
    url: http://127.0.0.1:9/checkout
    regions: [cli-eu]
    intervalSeconds: 300
`;
      const base = crosscheckYaml({ apiInterval: 13, webName: 'Storefront C', webInterval: 33, withSearch: false }).replace('webhooks:\n', `${monitor}webhooks:\n`);
      const pages = page ? `statusPages:\n  - key: public\n    slug: acme-cli\n    title: ${title}\n    description: Ours\n    monitors: ${monitors}\n` : 'statusPages: []\n';
      return `${base}${pages}`;
    }

    async function statusPage(): Promise<{ id: string; revision: number; title: string; monitorIds: string[] } | undefined> {
      const page = await api.get<{ items: { id: string; revision: number; title: string; monitorIds: string[] }[] }>('/v1/status-pages?key=public');
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return page.body.items[0];
    }

    it('refuses a page naming a monitor key that neither the file nor the server has, where the file says it', async () => {
      const text = withPage({ monitors: '[api, nowhere]' });
      const run = await crosscheck(['plan', '-f', file('pages-unknown.yaml', text)]);
      expect(run.exitCode, describeRun(run)).toBe(EXIT.failure);
      const line = text.split('\n').findIndex((l) => l.includes('monitors: [api, nowhere]')) + 1;
      expect(run.stderr).toContain(`pages-unknown.yaml:${line}:`);
      expect(run.stderr).toContain('statusPages[0].monitors[1]: unknown monitor key "nowhere": neither a monitor of this file nor one on the server');
    });

    it('plans and applies a page after the monitor it names that the same apply creates; again, no changes', async () => {
      const path = file('pages.yaml', withPage());
      const plan = await crosscheck(['plan', '-f', path]);
      expect(plan.stdout, describeRun(plan)).toBe(['+ create monitor checkout-status', '+ create status-page public', '', 'Plan: 2 to create, 0 to update, 0 to delete.', ''].join('\n'));
      const applied = await crosscheck(['apply', '-f', path, '--yes']);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      const ids = await Promise.all(['api', 'checkout-status', 'web'].map(async (key) => (await monitorByKey(key))?.id));
      expect(await statusPage()).toMatchObject({ title: 'Acme status', monitorIds: ids, revision: 1 });
      const shown = await api.request<{ monitors: { name: string }[] }>('GET', '/status/acme-cli.json', undefined, { token: null });
      expect(shown.status).toBe(200);
      expect(shown.body.monitors.map((monitor) => monitor.name)).toEqual(['Checkout API', 'Checkout (status page)', 'Storefront C']);
      const again = await crosscheck(['plan', '-f', path, '--exit-code']);
      expect(again.exitCode, describeRun(again)).toBe(EXIT.ok);
      expect(again.stdout).toBe('No changes.\n');
    });

    it('a changed title and order of monitors is one update naming the fields, by monitor key', async () => {
      const path = file('pages.yaml', withPage({ title: 'Acme, Inc.', monitors: '[web, api, checkout-status]' }));
      const plan = await crosscheck(['plan', '-f', path]);
      expect(plan.stdout, describeRun(plan)).toBe(
        [
          '~ update status-page public: 4 changes',
          '    title "Acme status" -> "Acme, Inc."',
          '    monitors.0 "api" -> "web"',
          '    monitors.1 "checkout-status" -> "api"',
          '    monitors.2 "web" -> "checkout-status"',
          '',
          'Plan: 0 to create, 1 to update, 0 to delete.',
          '',
        ].join('\n'),
      );
      const applied = await crosscheck(['apply', '-f', path, '--yes']);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      expect(await statusPage()).toMatchObject({ title: 'Acme, Inc.', revision: 2 });
    });

    it('exports the page with its monitors by key, and the export plans with no changes', async () => {
      const exported = join(dir, 'pages-exported.yaml');
      const run = await crosscheck(['export', '-o', exported]);
      expect(run.exitCode, describeRun(run)).toBe(EXIT.ok);
      const text = readFileSync(exported, 'utf8');
      expect(text).toContain('statusPages:\n  - key: public\n    slug: acme-cli\n    title: Acme, Inc.\n    description: Ours\n    monitors:\n      - web\n      - api\n      - checkout-status\n');
      const plan = await crosscheck(['plan', '-f', exported, '--prune', '--exit-code'], { CROSSCHECK_API_HEADER_AUTHORIZATION: `Bearer ${API_SECRET}` });
      expect(plan.exitCode, describeRun(plan)).toBe(EXIT.ok);
      expect(plan.stdout).toBe('No changes.\n');
    });

    it('a page left out of the file is deleted with --prune only, and its public page is gone', async () => {
      const path = file('pages.yaml', withPage({ page: false }));
      const kept = await crosscheck(['plan', '-f', path]);
      expect(kept.stdout, describeRun(kept)).toContain('1 resource on the server is not in the file (use --prune to delete): status-page public (sp_');
      const pruned = await crosscheck(['plan', '-f', path, '--prune']);
      expect(pruned.stdout, describeRun(pruned)).toBe('- delete status-page public\n\nPlan: 0 to create, 0 to update, 1 to delete.\n');
      const applied = await crosscheck(['apply', '-f', path, '--prune', '--yes']);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      expect(await statusPage()).toBeUndefined();
      expect((await api.request('GET', '/status/acme-cli.json', undefined, { token: null })).status).toBe(404);
    });
  });

  describe('maintenance windows in the file', () => {
    /** The configuration as the status page tests left it, a monitor more, and maintenance windows naming monitors by key. */
    function withWindows({ reason = 'OS patching', duration = 120, windows = true } = {}): string {
      const monitor = `  - key: checkout-status
    name: Checkout (status page)
    url: http://127.0.0.1:9/checkout
    regions: [cli-eu]
    intervalSeconds: 300
  - key: payments-db
    name: Payments database proxy
    url: http://127.0.0.1:9/db
    regions: [cli-eu]
    intervalSeconds: 300
`;
      const base = crosscheckYaml({ apiInterval: 13, webName: 'Storefront C', webInterval: 33, withSearch: false }).replace('webhooks:\n', `${monitor}webhooks:\n`);
      const maintenance = windows
        ? `maintenance:
  - key: sunday-patching
    reason: ${reason}
    monitors: [payments-db, api]
    startsAt: "2030-01-06T02:00:00Z"
    durationMinutes: ${duration}
    rrule: FREQ=WEEKLY;BYDAY=SU
  - key: db-upgrade
    reason: Database upgrade
    labels: { team: payments }
    startsAt: "2030-01-10T03:00:00+02:00"
    durationMinutes: 90
`
        : 'maintenance: []\n';
      return `${base}statusPages: []\n${maintenance}`;
    }

    interface Window {
      id: string;
      revision: number;
      kind: string;
      monitorIds: string[];
      labels: Record<string, string> | null;
      startsAt: string;
      endsAt: string | null;
      durationMinutes: number;
      reason: string;
    }
    async function window(key: string): Promise<Window | undefined> {
      const page = await api.get<{ items: Window[] }>(`/v1/maintenance?key=${key}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return page.body.items[0];
    }

    it('plans and applies windows after the monitor they name that the same apply creates; again, no changes', async () => {
      const path = file('windows.yaml', withWindows());
      const plan = await crosscheck(['plan', '-f', path]);
      expect(plan.stdout, describeRun(plan)).toBe(
        ['+ create monitor payments-db', '+ create maintenance db-upgrade', '+ create maintenance sunday-patching', '', 'Plan: 3 to create, 0 to update, 0 to delete.', ''].join('\n'),
      );
      const applied = await crosscheck(['apply', '-f', path, '--yes']);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      const ids = await Promise.all(['payments-db', 'api'].map(async (key) => (await monitorByKey(key))?.id));
      expect(await window('sunday-patching')).toMatchObject({ kind: 'rrule', monitorIds: ids, startsAt: '2030-01-06T02:00:00.000Z', durationMinutes: 120, revision: 1 });
      // A one-off of a duration, in another zone: stored by its end, in UTC, and compared so.
      expect(await window('db-upgrade')).toMatchObject({ kind: 'once', labels: { team: 'payments' }, startsAt: '2030-01-10T01:00:00.000Z', endsAt: '2030-01-10T02:30:00.000Z' });
      const again = await crosscheck(['plan', '-f', path, '--exit-code']);
      expect(again.exitCode, describeRun(again)).toBe(EXIT.ok);
      expect(again.stdout).toBe('No changes.\n');
    });

    it('a changed reason and duration is one update naming the fields', async () => {
      const path = file('windows.yaml', withWindows({ reason: 'Kernel patching', duration: 60 }));
      const plan = await crosscheck(['plan', '-f', path]);
      expect(plan.stdout, describeRun(plan)).toBe(
        ['~ update maintenance sunday-patching: 2 changes', '    durationMinutes 120 -> 60', '    reason "OS patching" -> "Kernel patching"', '', 'Plan: 0 to create, 1 to update, 0 to delete.', ''].join('\n'),
      );
      const applied = await crosscheck(['apply', '-f', path, '--yes']);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      expect(await window('sunday-patching')).toMatchObject({ reason: 'Kernel patching', durationMinutes: 60, revision: 2 });
    });

    it('exports the windows with their monitors by key, and the export plans with no changes', async () => {
      const exported = join(dir, 'windows-exported.yaml');
      const run = await crosscheck(['export', '-o', exported]);
      expect(run.exitCode, describeRun(run)).toBe(EXIT.ok);
      expect(run.stderr).toContain('2 maintenance windows');
      const text = readFileSync(exported, 'utf8');
      expect(text).toContain(
        'maintenance:\n  - key: db-upgrade\n    labels:\n      team: payments\n    startsAt: 2030-01-10T01:00:00.000Z\n    endsAt: 2030-01-10T02:30:00.000Z\n    reason: Database upgrade\n',
      );
      expect(text).toContain('  - key: sunday-patching\n    monitors:\n      - payments-db\n      - api\n    startsAt: 2030-01-06T02:00:00.000Z\n    durationMinutes: 60\n    rrule: FREQ=WEEKLY;BYDAY=SU\n');
      const plan = await crosscheck(['plan', '-f', exported, '--prune', '--exit-code'], { CROSSCHECK_API_HEADER_AUTHORIZATION: `Bearer ${API_SECRET}` });
      expect(plan.exitCode, describeRun(plan)).toBe(EXIT.ok);
      expect(plan.stdout).toBe('No changes.\n');
    });

    it('windows left out of the file are deleted with --prune only', async () => {
      const path = file('windows.yaml', withWindows({ windows: false }));
      const kept = await crosscheck(['plan', '-f', path]);
      expect(kept.stdout, describeRun(kept)).toContain('2 resources on the server are not in the file (use --prune to delete): maintenance db-upgrade (mw_');
      const pruned = await crosscheck(['plan', '-f', path, '--prune']);
      expect(pruned.stdout, describeRun(pruned)).toBe('- delete maintenance db-upgrade\n- delete maintenance sunday-patching\n\nPlan: 0 to create, 0 to update, 2 to delete.\n');
      const applied = await crosscheck(['apply', '-f', path, '--prune', '--yes']);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      expect(await window('sunday-patching')).toBeUndefined();
      expect(await window('db-upgrade')).toBeUndefined();
    });
  });

  describe('channels and policies in the file', () => {
    const PD_KEY = 'e2eR0UT1NGKEY0123456789abcd9f2c';
    const SLACK_URL = 'http://127.0.0.1:9/slack/T000/B000/e2eXXXXabcd';
    const secrets = { E2E_PD_KEY: PD_KEY, E2E_SLACK_URL: SLACK_URL };

    /** The configuration as the maintenance tests left it, labels and a channel on a monitor, and channels and policies naming them by key. */
    function withChannels({ channels = true } = {}): string {
      const monitor = `  - key: checkout-status
    name: Checkout (status page)
    url: http://127.0.0.1:9/checkout
    regions: [cli-eu]
    intervalSeconds: 300
  - key: payments-db
    name: Payments database proxy
    url: http://127.0.0.1:9/db
    regions: [cli-eu]
    intervalSeconds: 300
    labels: { team: payments }
${channels ? '    channels: [ops-slack]\n' : ''}`;
      const base = crosscheckYaml({ apiInterval: 13, webName: 'Storefront C', webInterval: 33, withSearch: false }).replace('webhooks:\n', `${monitor}webhooks:\n`);
      const sections = channels
        ? `channels:
  - key: payments-pd
    type: pagerduty
    name: Payments on-call
    routingKey: \${E2E_PD_KEY}
    endpointUrl: http://127.0.0.1:9/v2/enqueue
  - key: ops-slack
    type: slack
    name: "#ops"
    webhookUrl: \${E2E_SLACK_URL}
    events: [incident.opened, incident.resolved]
policies:
  - key: payments-critical
    name: Payments, critical
    match: { labels: { team: payments }, severities: [critical] }
    channels: [payments-pd]
    reminder: { everyMinutes: 30 }
    escalation: { afterMinutes: 15, channels: [ops-slack] }
  - key: everything
    name: Everything else
    default: true
    channels: [ops-slack]
`
        : 'channels: []\npolicies: []\n';
      return `${base}statusPages: []\nmaintenance: []\n${sections}`;
    }

    interface Channel {
      id: string;
      type: string;
      events: string[];
      settings: Record<string, unknown>;
      secretHints: Record<string, string>;
    }
    interface Policy {
      id: string;
      default: boolean;
      match: { labels: Record<string, string> | null; severities: string[] | null };
      channels: string[];
      reminder: { everyMinutes: number } | null;
      escalation: { afterMinutes: number; channels: string[] } | null;
    }
    async function byKey<T>(collection: 'channels' | 'policies', key: string): Promise<T | undefined> {
      const page = await api.get<{ items: T[] }>(`/v1/${collection}?key=${key}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return page.body.items[0];
    }

    it('refuses a secret written in the file and a secret whose variable is not set, naming the field and its line', async () => {
      const text = withChannels().replace('routingKey: ${E2E_PD_KEY}', `routingKey: ${PD_KEY}`);
      const run = await crosscheck(['validate', '-f', file('channels-literal.yaml', text)]);
      expect(run.exitCode, describeRun(run)).toBe(EXIT.failure);
      const line = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
      expect(run.stderr).toContain(
        `channels-literal.yaml:${line(`routingKey: ${PD_KEY}`)}:5: channels[0].routingKey: write the secret as a \${ENV} reference (routingKey: \${CROSSCHECK_PAYMENTS_PD_ROUTING_KEY}): a secret's value never goes in the file`,
      );
      expect(run.stderr).toContain(`channels-literal.yaml:${line('webhookUrl:')}:5: channels[1].webhookUrl: uses the environment variable E2E_SLACK_URL, which is not set`);
      expect(run.stderr, 'the refusal does not echo the secret').not.toContain(PD_KEY);
    });

    it('plans and applies channels before the policies and the monitor naming them by key; again, no changes', async () => {
      const path = file('channels.yaml', withChannels());
      const plan = await crosscheck(['plan', '-f', path], secrets);
      expect(plan.stdout, describeRun(plan)).toBe(
        [
          '+ create channel ops-slack',
          '+ create channel payments-pd',
          '+ create policy payments-critical',
          '+ create policy everything',
          '~ update monitor payments-db: 2 changes',
          '    labels.team (none) -> "payments"',
          '    channels.0 (none) -> "ops-slack"',
          '',
          'Plan: 4 to create, 1 to update, 0 to delete.',
          '',
        ].join('\n'),
      );
      const applied = await crosscheck(['apply', '-f', path, '--yes'], secrets);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      expect(applied.stdout + applied.stderr).not.toContain(PD_KEY);

      const pagerduty = await byKey<Channel>('channels', 'payments-pd');
      const slack = await byKey<Channel>('channels', 'ops-slack');
      expect(pagerduty).toMatchObject({ type: 'pagerduty', settings: { type: 'pagerduty', endpointUrl: 'http://127.0.0.1:9/v2/enqueue' } });
      expect(pagerduty?.secretHints['routingKey']).toMatch(/9f2c$/);
      expect(JSON.stringify(pagerduty)).not.toContain(PD_KEY);
      expect(slack).toMatchObject({ type: 'slack', events: expect.arrayContaining(['incident.opened', 'incident.resolved']) });
      expect(JSON.stringify(slack)).not.toContain(SLACK_URL);
      expect(await byKey<Policy>('policies', 'payments-critical')).toMatchObject({
        default: false,
        match: { labels: { team: 'payments' }, severities: ['critical'] },
        channels: [pagerduty?.id],
        reminder: { everyMinutes: 30 },
        escalation: { afterMinutes: 15, channels: [slack?.id] },
      });
      expect(await byKey<Policy>('policies', 'everything')).toMatchObject({ default: true, channels: [slack?.id] });
      expect(await monitorByKey('payments-db')).toMatchObject({ labels: { team: 'payments' }, channels: [slack?.id] });

      const again = await crosscheck(['plan', '-f', path, '--exit-code'], secrets);
      expect(again.exitCode, describeRun(again)).toBe(EXIT.ok);
      expect(again.stdout).toBe('No changes.\n');
    });

    it('a rotated secret is one update, seen by its last 4 characters and never shown', async () => {
      const rotated = `${PD_KEY.slice(0, -4)}0000`;
      const plan = await crosscheck(['plan', '-f', file('channels.yaml', withChannels()), '--exit-code'], { ...secrets, E2E_PD_KEY: rotated });
      expect(plan.exitCode, describeRun(plan)).toBe(EXIT.changesPending);
      expect(plan.stdout).toBe('~ update channel payments-pd: routingKey (secret) changed\n\nPlan: 0 to create, 1 to update, 0 to delete.\n');
    });

    it('exports channels with their secrets as placeholders and policies by channel key, and the export plans with no changes', async () => {
      const exported = join(dir, 'channels-exported.yaml');
      const run = await crosscheck(['export', '-o', exported]);
      expect(run.exitCode, describeRun(run)).toBe(EXIT.ok);
      expect(run.stderr).toContain('2 channels, 2 policies');
      expect(run.stderr).toContain('CROSSCHECK_OPS_SLACK_WEBHOOK_URL, CROSSCHECK_PAYMENTS_PD_ROUTING_KEY');
      const text = readFileSync(exported, 'utf8');
      expect(text).toContain('    routingKey: ${CROSSCHECK_PAYMENTS_PD_ROUTING_KEY}\n');
      expect(text).toContain('    webhookUrl: ${CROSSCHECK_OPS_SLACK_WEBHOOK_URL}\n');
      expect(text).not.toContain(PD_KEY);
      expect(text).toContain(
        [
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
          '        - ops-slack',
          '',
        ].join('\n'),
      );
      expect(text).toContain('    labels:\n      team: payments\n    channels:\n      - ops-slack\n');
      const plan = await crosscheck(['plan', '-f', exported, '--prune', '--exit-code'], {
        CROSSCHECK_API_HEADER_AUTHORIZATION: `Bearer ${API_SECRET}`,
        CROSSCHECK_PAYMENTS_PD_ROUTING_KEY: PD_KEY,
        CROSSCHECK_OPS_SLACK_WEBHOOK_URL: SLACK_URL,
      });
      expect(plan.exitCode, describeRun(plan)).toBe(EXIT.ok);
      expect(plan.stdout).toBe('No changes.\n');
    });

    it('channels and policies left out of the file are deleted with --prune only: policies first, channels after the monitor drops its own', async () => {
      const path = file('channels.yaml', withChannels({ channels: false }));
      const kept = await crosscheck(['plan', '-f', path]);
      expect(kept.stdout, describeRun(kept)).toContain('4 resources on the server are not in the file (use --prune to delete): policy everything (pol_');
      const pruned = await crosscheck(['plan', '-f', path, '--prune']);
      expect(pruned.stdout, describeRun(pruned)).toBe(
        [
          '- delete policy everything',
          '- delete policy payments-critical',
          '~ update monitor payments-db: channels.0 "ops-slack" -> (none)',
          '- delete channel ops-slack',
          '- delete channel payments-pd',
          '',
          'Plan: 0 to create, 1 to update, 4 to delete.',
          '',
        ].join('\n'),
      );
      const applied = await crosscheck(['apply', '-f', path, '--prune', '--yes']);
      expect(applied.exitCode, describeRun(applied)).toBe(EXIT.ok);
      expect(await byKey('channels', 'payments-pd')).toBeUndefined();
      expect(await byKey('policies', 'everything')).toBeUndefined();
      expect(await monitorByKey('payments-db')).toMatchObject({ labels: { team: 'payments' }, channels: [] });
      // A webhook is a channel too, but the webhooks: section's: it stays.
      expect((await api.get<{ items: { key: string }[] }>('/v1/webhooks')).body.items.map((webhook) => webhook.key)).toEqual(['pager']);
      const again = await crosscheck(['plan', '-f', path, '--prune', '--exit-code']);
      expect(again.stdout, describeRun(again)).toBe('No changes.\n');
    });
  });
});
