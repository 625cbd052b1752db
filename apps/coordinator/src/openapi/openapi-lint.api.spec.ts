import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCoordinator, type TestCoordinator } from '../testing/test-coordinator';
import { fetchServedDocument, offlineToolEnv, REPO_ROOT, type ServedDocument } from '../testing/served-document';

const run = promisify(execFile);

/** One finding of `redocly lint --format=json`. */
interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/**
 * The document the coordinator serves is valid OpenAPI 3.1 by `@redocly/cli`'s recommended
 * ruleset (repo root `redocly.yaml`): no errors. Warnings are reported, not counted.
 */
describe('the served OpenAPI document, linted', () => {
  let coordinator: TestCoordinator;
  let served: ServedDocument;

  beforeAll(async () => {
    coordinator = await startTestCoordinator();
    served = await fetchServedDocument(coordinator, 'lint');
  });

  afterAll(async () => {
    await served?.remove();
    await coordinator?.close();
  });

  it('is OpenAPI 3.1.0 with one webhook per event type', () => {
    expect(served.document['openapi']).toBe('3.1.0');
    expect(Object.keys(served.document['webhooks'] as Record<string, unknown>).sort()).toEqual([
      'incident.opened',
      'incident.resolved',
      'incident.updated',
      'maintenance.ended',
      'maintenance.started',
      'region.blind',
      'region.restored',
      'webhook.test',
    ]);
  });

  it('gives a 429 to every rate-limited route and none to /metrics, which the limiter never sees', () => {
    const responsesOf = (path: string) => Object.keys(((served.document['paths'] as Record<string, { get: { responses: object } }>)[path]?.get.responses) ?? {});
    expect(responsesOf('/v1/monitors')).toContain('429');
    expect(responsesOf('/health')).toContain('429');
    expect(responsesOf('/metrics')).not.toContain('429');
    expect(responsesOf('/metrics')).toContain('200');
  });

  it('is shown by Swagger UI at /docs', async () => {
    const page = await fetch(`${coordinator.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });

  it('passes `redocly lint` (recommended rules) with no errors', async () => {
    const redocly = join(REPO_ROOT, 'node_modules', '.bin', 'redocly');
    const args = ['lint', served.file, '--config', join(REPO_ROOT, 'redocly.yaml'), '--format', 'json'];
    // Exits 1 when there are errors; the findings are on stdout either way.
    const output = await run(redocly, args, { cwd: served.dir, env: offlineToolEnv(), timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    );
    const report = JSON.parse(output.stdout) as { problems: LintProblem[] };
    const errors = report.problems.filter((problem) => problem.severity === 'error');
    const lines = errors.map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`);
    expect(lines, output.stderr).toEqual([]);
  }, 120_000);
});
