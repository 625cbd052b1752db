/**
 * Runs the built CLI the way a user does (`node apps/cli/dist/main.js <url> --json`) and reads
 * its JSON report. Contract: top-level `status` ('up' | 'degraded' | 'down') and `causes`
 * (`{ code, severity, message, evidence }[]`); exit 0 up, 1 degraded, 2 down, 64 usage.
 *
 * `CROSSCHECK_CLI_MAIN` points the suites at another build of the CLI.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export const CLI_MAIN = resolve(process.env['CROSSCHECK_CLI_MAIN'] ?? join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js'));

export const EXIT = { up: 0, degraded: 1, down: 2, usage: 64 } as const;

export interface CliCause {
  code: string;
  severity: string;
  message: string;
  evidence: Record<string, unknown>;
}

export interface CliReport {
  status: 'up' | 'degraded' | 'down';
  causes: CliCause[];
  [key: string]: unknown;
}

export interface CliRun {
  args: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The parsed report, when stdout was one JSON document with `status` and `causes`. */
  report: CliReport | undefined;
  /** Why `report` is undefined. */
  parseError: string | undefined;
  ms: number;
}

/** Throws, naming the build command, when the CLI has not been built. */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_MAIN)) {
    throw new Error(`the CLI is not built: ${CLI_MAIN} does not exist (run \`npm run -s build\` first)`);
  }
}

function parseReport(stdout: string): { report: CliReport | undefined; parseError: string | undefined } {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (error) {
    return { report: undefined, parseError: `stdout is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { report: undefined, parseError: 'stdout JSON is not an object' };
  const record = value as Record<string, unknown>;
  if (record['status'] !== 'up' && record['status'] !== 'degraded' && record['status'] !== 'down') {
    return { report: undefined, parseError: `stdout JSON has no valid top-level status (got ${JSON.stringify(record['status'])})` };
  }
  if (!Array.isArray(record['causes'])) return { report: undefined, parseError: 'stdout JSON has no top-level causes array' };
  return { report: record as CliReport, parseError: undefined };
}

/** Runs `node <CLI_MAIN> ...args` from the repo root; never rejects on a non-zero exit. */
export function runCli(args: string[], { timeoutMs = 30_000, env }: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [CLI_MAIN, ...args],
      { cwd: REPO_ROOT, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        const child = error as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        const exitCode = child === null ? 0 : typeof child.code === 'number' ? child.code : null;
        const signal = child?.signal ?? null;
        resolvePromise({ args, exitCode, signal, stdout, stderr, ...parseReport(stdout), ms: Date.now() - started });
      },
    );
  });
}

/** A readable account of a run, for assertion messages. */
export function describeRun(run: CliRun): string {
  const clip = (text: string): string => (text.length > 6_000 ? `${text.slice(0, 6_000)}…` : text);
  return [
    `$ node ${CLI_MAIN} ${run.args.join(' ')}`,
    `exit ${String(run.exitCode)}${run.signal ? ` (signal ${run.signal})` : ''} after ${run.ms} ms`,
    run.parseError ? `report: ${run.parseError}` : `status: ${run.report?.status} causes: ${run.report?.causes.map((c) => c.code).join(', ')}`,
    `--- stdout ---\n${clip(run.stdout)}`,
    `--- stderr ---\n${clip(run.stderr)}`,
  ].join('\n');
}
