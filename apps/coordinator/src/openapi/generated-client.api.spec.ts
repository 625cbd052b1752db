import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeRegions } from '../testing/fake-region-agent';
import { fetchServedDocument, offlineToolEnv, REPO_ROOT, type ServedDocument } from '../testing/served-document';
import { randomRegion, startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';

const run = promisify(execFile);
const bin = (name: string): string => join(REPO_ROOT, 'node_modules', '.bin', name);

/**
 * A few calls written against the types `openapi-typescript` generates from the served document,
 * with plain `fetch`: listing monitors, creating one, reading a page of incidents, and a problem
 * answer. Their response types come only from the generated `paths`, so a call that type-checks
 * is one the document describes.
 */
const CLIENT = `
import type { paths } from './schema';

type Json<T> = { status: number; body: T };
type CreateBody = paths['/v1/monitors']['post']['requestBody']['content']['application/json'];
type Created = paths['/v1/monitors']['post']['responses'][201]['content']['application/json'];
type MonitorPage = paths['/v1/monitors']['get']['responses'][200]['content']['application/json'];
type IncidentPage = paths['/v1/incidents']['get']['responses'][200]['content']['application/json'];
type IncidentQuery = NonNullable<paths['/v1/incidents']['get']['parameters']['query']>;
type NotFound = paths['/v1/monitors/{id}']['get']['responses'][404]['content']['application/problem+json'];
type Invalid = paths['/v1/monitors']['post']['responses'][400]['content']['application/problem+json'];

const base = process.env['CROSSCHECK_URL'] ?? '';
const headers = { authorization: \`Bearer \${process.env['CROSSCHECK_TOKEN'] ?? ''}\`, 'content-type': 'application/json' };

async function call<T>(path: string, init: RequestInit = {}): Promise<Json<T>> {
  const response = await fetch(\`\${base}\${path}\`, { ...init, headers });
  return { status: response.status, body: (response.status === 204 ? null : await response.json()) as T };
}

async function main(): Promise<void> {
  const input: CreateBody = {
    name: 'typed client',
    url: 'https://example.test/health',
    regions: [process.env['REGION'] ?? ''],
    intervalSeconds: 3600,
    expect: { status: [200] },
  };
  const created = await call<Created>('/v1/monitors', { method: 'POST', body: JSON.stringify(input) });
  const id: string = created.body.id;
  const url: string = created.body.spec.url;

  const page = await call<MonitorPage>('/v1/monitors?limit=200');
  const listed: boolean = page.body.items.some((monitor) => monitor.id === id && monitor.intervalSeconds === 3600);
  const nextCursor: string | null = page.body.nextCursor;

  const query: IncidentQuery = { monitorId: id, state: 'open', limit: 10 };
  const incidents = await call<IncidentPage>(\`/v1/incidents?\${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}\`);
  const incidentCount: number = incidents.body.items.length;
  const states: ('open' | 'resolved')[] = incidents.body.items.map((incident) => incident.state);

  const missing = await call<NotFound>('/v1/monitors/mon_aaaaaaaaaaaaaaaaaaaa');
  const problemStatus: number = missing.body.status;
  const problemType: string = missing.body.type;

  const invalid = await call<Invalid>('/v1/monitors', { method: 'POST', body: JSON.stringify({ ...input, intervalSeconds: 0 }) });
  const issuePaths: string[] = (invalid.body.issues ?? []).map((issue) => issue.path);

  const deleted = await call<null>(\`/v1/monitors/\${id}\`, { method: 'DELETE' });
  process.stdout.write(JSON.stringify({
    created: created.status, id, url, listed, nextCursor, incidents: incidents.status, incidentCount, states,
    missing: missing.status, problemStatus, problemType, invalid: invalid.status, issuePaths, deleted: deleted.status,
  }));
}

main().catch((error: unknown) => {
  process.stderr.write(String(error));
  process.exit(1);
});
`;

/** Calls the generated types must refuse: a field the document does not have, a wrong type, a status it does not answer. */
const WRONG = `
import type { paths } from './schema';
type Created = paths['/v1/monitors']['post']['responses'][201]['content']['application/json'];
type CreateBody = paths['/v1/monitors']['post']['requestBody']['content']['application/json'];
export const a: CreateBody = { name: 'x', url: 'https://example.test/', regions: ['r'], intervalSeconds: 'often' };
export const b = (monitor: Created): number => monitor.notAField;
export type C = paths['/v1/monitors']['get']['responses'][418];
`;

function tsconfig(files: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'commonjs',
      lib: ['ES2023', 'DOM'],
      types: ['node'],
      typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
      skipLibCheck: true,
      outDir: 'out',
    },
    files,
  });
}

describe('a client typed by openapi-typescript from the served document', () => {
  let coordinator: TestCoordinator;
  let served: ServedDocument;
  const region = randomRegion('client');

  beforeAll(async () => {
    coordinator = await startTestCoordinator();
    served = await fetchServedDocument(coordinator, 'client');
    // Fields with a default are optional to send: without `--default-non-nullable=false` the request types would require them.
    const args = [served.file, '--output', join(served.dir, 'schema.ts'), '--default-non-nullable=false'];
    await run(bin('openapi-typescript'), args, { cwd: served.dir, env: offlineToolEnv(), timeout: 60_000 });
    await writeFile(join(served.dir, 'client.ts'), CLIENT.trimStart());
    await writeFile(join(served.dir, 'wrong.ts'), WRONG.trimStart());
    await writeFile(join(served.dir, 'tsconfig.json'), tsconfig(['client.ts']));
    await writeFile(join(served.dir, 'tsconfig.wrong.json'), tsconfig(['wrong.ts']));
  }, 90_000);

  afterAll(async () => {
    await served?.remove();
    await coordinator?.close();
    await purgeRegions([region]);
  });

  it('type-checks the calls, and runs them against the coordinator with the answers their types say', async () => {
    await run(bin('tsc'), ['-p', join(served.dir, 'tsconfig.json')], { cwd: served.dir, timeout: 90_000 }).catch((error: { stdout?: string }) => {
      throw new Error(`the typed client does not type-check:\n${error.stdout ?? String(error)}`);
    });
    const { stdout } = await run(process.execPath, [join(served.dir, 'out', 'client.js')], {
      env: { ...process.env, CROSSCHECK_URL: coordinator.baseUrl, CROSSCHECK_TOKEN: coordinator.token, REGION: region },
      timeout: 30_000,
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      created: 201,
      url: 'https://example.test/health',
      listed: true,
      incidents: 200,
      incidentCount: 0,
      missing: 404,
      problemStatus: 404,
      problemType: 'urn:crosscheck:problem:not-found',
      invalid: 400,
      issuePaths: ['intervalSeconds'],
      deleted: 204,
    });
    expect(result['id']).toMatch(/^mon_[a-z2-7]{20}$/);
  }, 120_000);

  it('refuses calls the document does not describe', async () => {
    const failure = await run(bin('tsc'), ['-p', join(served.dir, 'tsconfig.wrong.json'), '--noEmit'], { cwd: served.dir, timeout: 90_000 }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    expect(failure).toMatch(/wrong\.ts\(4,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(failure).toMatch(/wrong\.ts\(5,\d+\): error TS2339: Property 'notAField'/);
    expect(failure).toMatch(/wrong\.ts\(6,\d+\): error TS2339: Property '418'/);
  }, 120_000);
});
