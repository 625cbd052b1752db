import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../output/output';
import { runCheck } from './check.command';

/** `check --baseline`: a response compared with what an earlier run saw, against a real server on loopback. */
describe('check --baseline', () => {
  let server: Server;
  let url = '';
  let answer: { type: string; body: string } = { type: 'application/health+json', body: '' };
  const dir = mkdtempSync(join(tmpdir(), 'crosscheck-baseline-'));

  async function check(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const output: Output = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), interactive: false, ask: () => Promise.reject(new Error('no terminal')) };
    const code = await runCheck(argv, output);
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': answer.type });
      response.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("an earlier --json output is the baseline: the operator's text where its health document was is down by content_changed", async () => {
    answer = { type: 'application/health+json', body: JSON.stringify({ status: 'pass', checks: { 'db:ping': [{ status: 'pass' }] } }) };
    const first = await check([url, '--json', '--no-bypass']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { fingerprint?: { kind: string }; baseline?: { rounds: number } };
    expect(report.fingerprint?.kind).toBe('health');
    expect(report.baseline?.rounds).toBe(1);
    const file = join(dir, 'healthy.json');
    writeFileSync(file, first.stdout);

    // The same healthy answer against its own baseline: up.
    expect((await check([url, '--no-bypass', '--baseline', file])).code).toBe(0);

    // A page no fingerprint knows, with 200: down, saying what it replaced.
    answer = { type: 'text/html', body: '<html><head><title>Acme</title></head><body><img src="/logo.png"><p>Back shortly.</p></body></html>' };
    const changed = await check([url, '--json', '--no-bypass', '--baseline', file]);
    expect(changed.code).toBe(2);
    const verdict = JSON.parse(changed.stdout) as { causes: Array<{ code: string; severity: string; message: string }> };
    const cause = verdict.causes.find((c) => c.code === 'content_changed');
    expect(cause?.severity).toBe('down');
    expect(cause?.message).toMatch(/health document/);
    // Without the baseline the same page passes: nothing else knows it is wrong.
    expect((await check([url, '--no-bypass'])).code).toBe(0);
  });

  it.each([
    ['a file that does not exist', (): string => join(dir, 'missing.json'), /cannot read it \(no such file\)/],
    ['a file that is not JSON', (): string => write('not-json.json', 'up!'), /not JSON/],
    ['JSON without a baseline or fingerprint', (): string => write('other.json', '{"status":"up"}'), /neither a "baseline" nor a "fingerprint"/],
    ['a baseline that does not validate', (): string => write('bad.json', '{"baseline":{"v":1,"rounds":"many"}}'), /its baseline is not valid \(/],
  ])('refuses %s with exit 64, naming the problem', async (_name, file, message) => {
    const run = await check([url, '--baseline', file()]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(message);
  });

  function write(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }
});
