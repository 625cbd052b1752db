import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCliEnvironment } from './config/cli-environment';
import type { Output } from './output/output';
import { runCrosscheck } from './crosscheck-program';

/** The real program, writing into strings. */
async function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const output: Output = {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    interactive: false,
    ask: () => Promise.reject(new Error('no terminal')),
  };
  const code = await runCrosscheck(argv, { output, env: readCliEnvironment(env) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'crosscheck-program-'));

describe('crosscheck', () => {
  it.each([
    [['--help'], 0],
    [['plan', '--help'], 0],
    [['regions', 'add', '--help'], 0],
    [[], 64],
    [['bogus'], 64],
    [['plan', '--bogus'], 64],
    [['monitors', 'get'], 64],
    [['check'], 64],
  ])('%j exits %d', async (argv, code) => {
    expect((await run(argv)).code).toBe(code);
  });

  it('validates a file offline: 0 when valid, 2 with every issue located when not, --json on stdout', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'version: 1\nmonitors:\n  - { key: a, name: A, url: "https://a.example/", regions: [r], intervalSeconds: 30 }\n');
    expect(await run(['validate', '-f', good])).toMatchObject({ code: 0, stdout: `${good} is valid: 1 monitors, 0 webhooks, 0 channels, 0 policies, 0 status pages, 0 maintenance windows, 0 regions.\n` });

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nmonitors:\n  - { key: a, name: A, url: "https://a.example/", regions: [r], intervalSeconds: "${EVERY}" }\n');
    const refused = await run(['validate', '-f', bad, '--json']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ valid: false, issues: [{ file: bad, path: 'monitors[0].intervalSeconds', line: 3, message: expect.stringContaining('EVERY') }] });
  });

  it('says when the file cannot be read, and exits 2', async () => {
    expect(await run(['validate', '-f', join(dir, 'missing.yaml')])).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
  });

  it('refuses a coordinator URL with credentials in it, without echoing them', async () => {
    const result = await run(['monitors', 'ls', '--url', 'http://admin:hunter2@127.0.0.1:1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must not carry credentials');
  });
});
