import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import { join } from 'node:path';
import { REPO_ROOT } from './agent-process';
import type { Placement } from './agent-throughput';
import { COORDINATOR_MAIN } from './coordinator-capacity';
import { canPin, freePort, logTail, makeTempDir, startProcess, waitFor, type Managed } from './processes';
import { startRedis, type BenchRedis } from './redis-server';
import { round } from './stats';

/** The CLI build the part drives, as users run it. */
export const CLI_MAIN = join(REPO_ROOT, 'apps', 'cli', 'dist', 'main.js');
const TIME = '/usr/bin/time';
const REGIONS = ['bench-a', 'bench-b'] as const;
const WEBHOOKS = 2;
/** Every 10th monitor gets a new interval in the "changed" step. */
const CHANGED_EVERY = 10;

export interface ConfigOptions {
  placement: Placement;
  /** Monitor counts, each on a fresh Redis + coordinator. */
  sizes: readonly number[];
  /** Runs of each repeatable (read-only) step; the median is reported. */
  repeats: number;
  log: (line: string) => void;
}

/** API requests of one CLI run, by kind. */
export interface RequestCount {
  /** GET: list pages (monitors, webhooks) and the regions. */
  reads: number;
  /** `?dryRun=true` writes: one per declared monitor and webhook. */
  dryRuns: number;
  /** Real writes (creates, updates) and the apply lock's acquire/renew/release. */
  writes: number;
  lock: number;
  total: number;
  /** `counted`: through a counting proxy in an extra, untimed run; `derived`: from the CLI's code (see README). */
  how: 'counted' | 'derived';
}

export interface ConfigStep {
  step: string;
  runs: number;
  /** Wall ms of each run (spawn to exit), and their median. */
  wallMs: number[];
  medianWallMs: number;
  /** User + system CPU ms of the CLI process (`/usr/bin/time`, 10 ms resolution); median of the runs. */
  cpuMs: number | null;
  /** (Median wall ms − the startup floor) per declared monitor (plan and apply steps). */
  msPerMonitor: number | null;
  requests: RequestCount | null;
  /** What the CLI said: its plan summary line, or its first line. */
  said: string;
  /** Whether it said what the step expects (e.g. `No changes.` for the unchanged plan). */
  asExpected: boolean;
}

export interface ConfigSizeResult {
  monitors: number;
  webhooks: number;
  fileBytes: number;
  exportBytes: number;
  steps: ConfigStep[];
}

export interface ConfigResult {
  /** `node apps/cli/dist/main.js --version`, median wall and CPU ms: what every step pays before any work. */
  startupFloorMs: number;
  startupCpuMs: number | null;
  startupRuns: number;
  sizes: ConfigSizeResult[];
  placement: string;
}

interface CliRun {
  code: number | string;
  stdout: string;
  stderr: string;
  wallMs: number;
  cpuMs: number | null;
}

/**
 * Part `config`: monitoring as code with the real CLI. For each size a generated
 * `crosscheck.yaml` (N monitors, 2 regions, 2 webhooks) goes through validate, plan, apply,
 * plan again, a 10 % edit, export and a plan of the export, each step a fresh CLI process timed
 * from spawn to exit, against a fresh Redis and a real coordinator (nothing is checked: port 9
 * has no listener and there are no agents; the coordinator only schedules).
 */
export async function configAsCode(options: ConfigOptions): Promise<ConfigResult> {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run npm run build`);
  const { placement, log } = options;
  const dir = makeTempDir('crosscheck-bench-config-');
  const cliCpu = placement.infra;
  const measureCpu = existsSync(TIME);

  const startup: CliRun[] = [];
  for (let i = 0; i < 5; i += 1) startup.push(await runCli(['--version'], { cwd: dir, env: {}, cpu: cliCpu, measureCpu, timingFile: join(dir, 'time.txt') }));
  const startupFloorMs = median(startup.map((r) => r.wallMs));
  const startupCpuMs = medianOrNull(startup.map((r) => r.cpuMs));
  log(`  node startup floor (--version): ${startupFloorMs} ms wall, ${startupCpuMs ?? 'n/a'} ms CPU`);

  const sizes: ConfigSizeResult[] = [];
  for (const monitors of options.sizes) {
    log(`  ${monitors} monitors: fresh Redis + coordinator`);
    const system = await startSystem(placement);
    try {
      sizes.push(await measureSize(monitors, { system, dir, repeats: options.repeats, cpu: cliCpu, measureCpu, startupFloorMs, log }));
    } catch (error) {
      throw new Error(`${(error as Error).message}\ncoordinator log:\n${system.logTail()}`);
    } finally {
      await system.stop();
    }
  }
  return {
    startupFloorMs,
    startupCpuMs,
    startupRuns: startup.length,
    sizes,
    placement:
      cliCpu !== undefined
        ? `coordinator pinned alone to CPU ${placement.client ?? 0}; the CLI, redis-server, the counting proxy and the bench on CPU ${cliCpu}`
        : 'not pinned',
  };
}

interface System {
  url: string;
  token: string;
  /** The coordinator's last log lines, for an error message. */
  logTail(): string;
  stop(): Promise<void>;
}

async function startSystem(placement: Placement): Promise<System> {
  const redis: BenchRedis = await startRedis(placement.infra !== undefined ? { cpu: placement.infra } : {});
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  let coordinator: Managed | undefined;
  try {
    coordinator = startProcess({
      name: 'coordinator-config',
      command: process.execPath,
      args: [COORDINATOR_MAIN],
      cwd: REPO_ROOT,
      env: {
        REDIS_URL: redis.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_TOKEN: token,
        SECRETS_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'warn',
        // The webhooks point at 127.0.0.1:9 (nothing listens; no event fires without agents).
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        // A 500-monitor plan + apply is well over the default 600 requests a minute per token: not what is measured here.
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_PER_MINUTE_PER_ADDRESS: '0',
      },
      unset: ['REDIS_CLUSTER_NODES', 'MIN_INTERVAL_SECONDS', 'NODE_OPTIONS'],
      ...(placement.client !== undefined ? { cpu: placement.client } : {}),
    });
    const url = `http://127.0.0.1:${port}`;
    const managed = coordinator;
    let exited: number | string | undefined;
    void managed.exited.then((code) => (exited = code));
    await waitFor(
      'the coordinator to answer /health',
      async () => {
        if (exited !== undefined) throw new Error(`coordinator exited (${exited})`);
        const response = await fetch(`${url}/health`);
        await response.arrayBuffer();
        return response.ok ? true : undefined;
      },
      60_000,
      100,
    ).catch((error: unknown) => {
      throw new Error(`coordinator did not start (${exited ?? (error as Error).message}):\n${logTail(managed)}`);
    });
    return {
      url,
      token,
      logTail: () => logTail(managed),
      stop: async () => {
        await managed.stop(10_000);
        await redis.stop();
      },
    };
  } catch (error) {
    await coordinator?.stop(5_000);
    await redis.stop();
    throw error;
  }
}

interface SizeOptions {
  system: System;
  dir: string;
  repeats: number;
  cpu: number | undefined;
  measureCpu: boolean;
  startupFloorMs: number;
  log: (line: string) => void;
}

async function measureSize(monitors: number, { system, dir, repeats, cpu, measureCpu, startupFloorMs, log }: SizeOptions): Promise<ConfigSizeResult> {
  const file = join(dir, `crosscheck-${monitors}.yaml`);
  const exported = join(dir, `export-${monitors}.yaml`);
  const secret = randomBytes(16).toString('hex');
  const env: Record<string, string> = { CROSSCHECK_URL: system.url, CROSSCHECK_TOKEN: system.token, BENCH_SECRET: secret };
  const timingFile = join(dir, 'time.txt');
  const fileText = configFile(monitors, () => 60);
  writeFileSync(file, fileText);
  const changed = Math.ceil(monitors / CHANGED_EVERY);
  const declared = REGIONS.length + WEBHOOKS + monitors;
  const steps: ConfigStep[] = [];
  const proxy = await countingProxy(system.url);
  try {
    const step = async (
      name: string,
      args: string[],
      expect: (said: string) => boolean,
      how: { repeat: boolean; count: 'proxy' | ((plan: RequestCount | undefined) => RequestCount | null); perMonitor: boolean; env?: Record<string, string> },
    ): Promise<ConfigStep> => {
      const runEnv = { ...env, ...(how.env ?? {}) };
      const runs: CliRun[] = [];
      for (let i = 0; i < (how.repeat ? repeats : 1); i += 1) {
        const run = await runCli(args, { cwd: dir, env: runEnv, cpu, measureCpu, timingFile });
        if (run.code !== 0) throw new Error(`${name} (${monitors} monitors): crosscheck ${args.join(' ')} exited ${run.code}:\n${(run.stderr || run.stdout).slice(-2_000)}`);
        runs.push(run);
      }
      let requests: RequestCount | null;
      if (how.count === 'proxy') {
        // One more run, untimed, through the proxy: the timed runs talk to the coordinator directly.
        proxy.reset();
        const counted = await runCli(args, { cwd: dir, env: { ...runEnv, CROSSCHECK_URL: proxy.url }, cpu, measureCpu: false, timingFile });
        if (counted.code !== 0) throw new Error(`${name}: the counted run exited ${counted.code}:\n${counted.stderr.slice(-2_000)}`);
        requests = proxy.count();
      } else requests = how.count(steps.find((s) => s.step === `plan ${name.slice('apply '.length)}`)?.requests ?? undefined);
      const last = runs[runs.length - 1];
      const said = summaryLine(last?.stdout ?? '', last?.stderr ?? '').replaceAll(`${dir}/`, '');
      const medianWallMs = median(runs.map((r) => r.wallMs));
      const result: ConfigStep = {
        step: name,
        runs: runs.length,
        wallMs: runs.map((r) => r.wallMs),
        medianWallMs,
        cpuMs: medianOrNull(runs.map((r) => r.cpuMs)),
        msPerMonitor: how.perMonitor ? round((medianWallMs - startupFloorMs) / monitors, 2) : null,
        requests,
        said,
        asExpected: expect(said),
      };
      steps.push(result);
      log(`    ${name}: ${medianWallMs} ms (${runs.map((r) => r.wallMs).join(' / ')}), ${requests ? `${requests.total} requests` : 'offline'}; "${said}"${result.asExpected ? '' : ' (NOT as expected)'}`);
      return result;
    };

    await step('validate', ['validate', '-f', file], (s) => s.endsWith(`is valid: ${monitors} monitors, ${WEBHOOKS} webhooks, ${REGIONS.length} regions.`), { repeat: true, count: () => null, perMonitor: false });
    await step('plan empty', ['plan', '-f', file], (s) => s === `Plan: ${declared} to create, 0 to update, 0 to delete.`, { repeat: true, count: 'proxy', perMonitor: true });
    await step('apply empty', ['apply', '-f', file, '--yes'], (s) => s === `Apply complete: ${declared} created, 0 updated, 0 deleted.`, {
      repeat: false,
      count: (plan) => deriveApply(plan, declared),
      perMonitor: true,
    });
    await step('plan unchanged', ['plan', '-f', file], (s) => s === 'No changes.', { repeat: true, count: 'proxy', perMonitor: true });
    writeFileSync(file, configFile(monitors, (i) => (i % CHANGED_EVERY === 0 ? 120 : 60)));
    await step('plan changed', ['plan', '-f', file], (s) => s === `Plan: 0 to create, ${changed} to update, 0 to delete.`, { repeat: true, count: 'proxy', perMonitor: true });
    await step('apply changed', ['apply', '-f', file, '--yes'], (s) => s === `Apply complete: 0 created, ${changed} updated, 0 deleted.`, {
      repeat: false,
      count: (plan) => deriveApply(plan, changed),
      perMonitor: true,
    });
    await step('export', ['export', '-o', exported], (s) => s.startsWith(`wrote export-${monitors}.yaml: ${monitors} monitors, ${WEBHOOKS} webhooks`), {
      repeat: true,
      count: 'proxy',
      perMonitor: false,
    });
    // The export names each monitor's secret header as its own variable: all hold the same secret here.
    const exportText = readFileSync(exported, 'utf8');
    const placeholders = new Set([...exportText.matchAll(/\$\{(CROSSCHECK_[A-Z0-9_]+)\}/g)].map((m) => m[1] ?? ''));
    const secretEnv = Object.fromEntries([...placeholders].map((name) => [name, `Bearer ${secret}`]));
    await step('plan export', ['plan', '-f', exported], (s) => s === 'No changes.', { repeat: true, count: 'proxy', perMonitor: true, env: secretEnv });
    const result: ConfigSizeResult = { monitors, webhooks: WEBHOOKS, fileBytes: Buffer.byteLength(fileText), exportBytes: Buffer.byteLength(exportText), steps };
    return result;
  } finally {
    await proxy.close();
    rmSync(file, { force: true });
    rmSync(exported, { force: true });
  }
}

/**
 * An apply's requests, from the CLI's code (apps/cli/src/commands/config-commands.ts): the plan's
 * (counted before it), the live state read once more under the lock, the lock's acquire and
 * release (its renewal comes every 40 s: never here), and one write per action.
 */
function deriveApply(plan: RequestCount | undefined, actions: number): RequestCount | null {
  if (!plan) return null;
  const reads = plan.reads * 2;
  const lock = 2;
  return { reads, dryRuns: plan.dryRuns, writes: actions, lock, total: reads + plan.dryRuns + actions + lock, how: 'derived' };
}

/** A crosscheck.yaml of `monitors` monitors over two regions and two webhooks. */
function configFile(monitors: number, intervalOf: (index: number) => number): string {
  const lines = ['# Generated by the bench (part config).', 'version: 1', '', 'regions:', ...REGIONS.map((r) => `  - name: ${r}`), '', 'monitors:'];
  for (let i = 0; i < monitors; i += 1) {
    const key = `m-${String(i).padStart(4, '0')}`;
    lines.push(
      `  - key: ${key}`,
      `    name: Bench monitor ${i}`,
      `    url: http://127.0.0.1:9/health/${i}`,
      `    regions: [${REGIONS.join(', ')}]`,
      `    intervalSeconds: ${intervalOf(i)}`,
      '    headers:',
      '      Authorization: Bearer ${BENCH_SECRET}',
      '    expect:',
      '      status: [200]',
      '      json:',
      '        - { path: $.status, op: equals, value: ok }',
      '      latency: { degradedMs: 800, downMs: 3000 }',
    );
  }
  lines.push('', 'webhooks:');
  for (let i = 0; i < WEBHOOKS; i += 1) {
    lines.push(`  - key: hook-${i}`, '    url: http://127.0.0.1:9/hook', '    events: [incident.opened, incident.resolved]', `    description: bench webhook ${i}`);
  }
  return `${lines.join('\n')}\n`;
}

interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  cpu: number | undefined;
  measureCpu: boolean;
  timingFile: string;
}

/** One CLI process, timed from spawn to exit; its CPU through `/usr/bin/time` (which adds its own exec, under a millisecond). */
function runCli(args: readonly string[], options: RunOptions): Promise<CliRun> {
  const node = [process.execPath, CLI_MAIN, ...args];
  const timed = options.measureCpu ? [TIME, '-o', options.timingFile, '-f', '%U %S', ...node] : node;
  const command = options.cpu !== undefined && canPin ? ['taskset', '-c', String(options.cpu), ...timed] : timed;
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env['NODE_OPTIONS'];
  if (options.measureCpu) rmSync(options.timingFile, { force: true });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command[0] ?? '', command.slice(1), { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const wallMs = Math.round(performance.now() - started);
      let cpuMs: number | null = null;
      if (options.measureCpu) {
        try {
          // Without a terminal, /usr/bin/time writes "Command exited with non-zero status" first on a failure.
          const last = readFileSync(options.timingFile, 'utf8').trim().split('\n').pop() ?? '';
          const [user, system] = last.split(' ').map(Number);
          if (user !== undefined && system !== undefined && Number.isFinite(user + system)) cpuMs = Math.round((user + system) * 1_000);
        } catch {
          cpuMs = null;
        }
      }
      resolve({ code: code ?? signal ?? 'unknown', stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs, cpuMs });
    });
  });
}

/** The plan's or apply's summary line, else the first line the CLI printed. */
function summaryLine(stdout: string, stderr: string): string {
  const lines = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return (
    lines.find((l) => l.startsWith('Apply complete:')) ??
    lines.find((l) => l.startsWith('Plan:') || l === 'No changes.') ??
    lines.find((l) => l.startsWith('wrote ')) ??
    lines[0] ??
    ''
  );
}

interface CountingProxy {
  url: string;
  reset(): void;
  count(): RequestCount;
  close(): Promise<void>;
}

/** A loopback HTTP proxy in front of the coordinator that counts the requests passing through, by kind. */
async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let counts = { reads: 0, dryRuns: 0, writes: 0, lock: 0 };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/v1/apply-lock')) counts.lock += 1;
    else if (req.method === 'GET') counts.reads += 1;
    else if (/[?&]dryRun=true/.test(path)) counts.dryRuns += 1;
    else counts.writes += 1;
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...req.headers, host: upstream.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      res.writeHead(502);
      res.end(error.message);
    });
    req.pipe(forward);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    reset: () => {
      counts = { reads: 0, dryRuns: 0, writes: 0, lock: 0 };
    },
    count: () => ({ ...counts, total: counts.reads + counts.dryRuns + counts.writes + counts.lock, how: 'counted' }),
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === values.length && known.length > 0 ? median(known) : null;
}
