import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Everything the bench starts (child processes, temp dirs) is registered here and torn down on
 * every way out: normal end, an exception, Ctrl-C (SIGINT), SIGTERM, SIGHUP. A second signal
 * during the teardown kills what is left at once.
 */

export interface Managed {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** Asks it to stop (SIGTERM), waits up to `graceMs`, then kills it. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<Managed>();
const tempDirs = new Set<string>();
const cleanups: (() => Promise<void>)[] = [];
let tearingDown: Promise<void> | undefined;

/** Whether `taskset` works here (pinning is skipped, and said so, when it does not). */
export const canPin: boolean = (() => {
  try {
    return spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
  } catch {
    return false;
  }
})();

/** Pins every thread of a running process (this one, typically) to one CPU. */
export function pinProcess(pid: number, cpu: number): boolean {
  if (!canPin) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;
}

let benchDir: string | undefined;

/** The bench's own temp dir (logs, Redis data); removed at teardown. */
export function workDir(): string {
  benchDir ??= makeTempDir('crosscheck-bench-');
  return benchDir;
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Runs `fn` at teardown (before processes are stopped), e.g. closing Redis clients. */
export function onTeardown(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** Variables of the bench's environment not to pass on. */
  unset?: readonly string[];
  /** CPU to pin the process to (through `taskset`, which execs the command: the pid is the command's). */
  cpu?: number;
  /** Open an IPC channel (the command must be node). */
  ipc?: boolean;
  cwd?: string;
}

let logCounter = 0;

export function startProcess(options: StartOptions): Managed {
  const logFile = join(workDir(), `${String(++logCounter).padStart(2, '0')}-${options.name.replace(/[^a-z0-9-]+/gi, '_')}.log`);
  const fd = openSync(logFile, 'a');
  const pinned = options.cpu !== undefined && canPin;
  const command = pinned ? 'taskset' : options.command;
  const args = pinned ? ['-c', String(options.cpu), options.command, ...options.args] : options.args;
  const stdio: StdioOptions = options.ipc ? ['ignore', fd, fd, 'ipc'] : ['ignore', fd, fd];
  const unset = new Set(options.unset ?? []);
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries({ ...process.env, ...(options.env ?? {}) }).filter(([name]) => !unset.has(name)),
  );
  const child = spawn(command, args, {
    stdio,
    env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${options.name} (${options.command})`);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => resolve(`spawn error: ${error.message}`));
  });
  const managed: Managed = {
    name: options.name,
    pid: child.pid,
    child,
    exited,
    logFile,
    stop: async (graceMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      live.delete(managed);
    },
  };
  live.add(managed);
  void exited.then(() => live.delete(managed));
  return managed;
}

/** Last lines of a managed process's log, for error messages. */
export function logTail(managed: Managed, lines = 15): string {
  try {
    return readFileSync(managed.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops everything still running and removes the temp dirs. Idempotent. */
export function teardown(): Promise<void> {
  tearingDown ??= (async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      await withTimeout(fn().catch(() => undefined), 3_000);
    }
    await Promise.all([...live].map((managed) => managed.stop(5_000)));
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  })();
  return tearingDown;
}

/** Last resort (process exit): kill synchronously whatever is left, remove temp dirs. */
function killEverythingNow(): void {
  for (const managed of live) {
    try {
      managed.child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

/** Installs the signal and exit handlers. */
export function installTeardownHandlers(): void {
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      signals += 1;
      if (signals > 1) {
        process.stderr.write(`\n${signal} again: killing everything now\n`);
        killEverythingNow();
        process.exit(130);
      }
      process.stderr.write(`\n${signal}: stopping everything the bench started…\n`);
      void teardown().finally(() => process.exit(130));
    });
  }
  process.on('exit', killEverythingNow);
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A port free on 127.0.0.1 right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every `everyMs` until it returns a value other than `undefined`; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// /proc readers

const CLOCK_TICKS_PER_SECOND = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const value = Number(result.stdout?.trim());
  return Number.isFinite(value) && value > 0 ? value : 100;
})();

/** CPU seconds (user + system, all threads) the process has used so far; `null` when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3 (state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (peak RSS) in MiB; `null` when the process is gone. */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/**
 * CPU seconds the whole machine spent in user, nice and system time so far (all cores). IRQ and
 * softirq time is left out: loopback networking of the bench's own traffic lands there.
 */
export function machineCpuSeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, user, nice, system] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0)) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Pids of every process the bench started that is still running, and the bench's own. */
export function ourPids(): number[] {
  return [process.pid, ...[...live].map((managed) => managed.pid)];
}

/** Non-idle CPU seconds of each core (everything but idle and iowait). */
export function coreBusySeconds(): number[] {
  try {
    return readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((line) => /^cpu\d+ /.test(line))
      .map((line) => {
        const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
        return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
      });
  } catch {
    return [];
  }
}

/** CPU seconds of several processes, of everything we started, and of the machine, at one moment. */
export interface CpuSnapshot {
  at: number;
  seconds: Record<string, number | null>;
  ours: Map<number, number | null>;
  machine: number;
  cores: number[];
}

export function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const seconds: Record<string, number | null> = {};
  for (const [name, pid] of Object.entries(pids)) seconds[name] = cpuSeconds(pid);
  const ours = new Map<number, number | null>();
  for (const pid of ourPids()) ours.set(pid, cpuSeconds(pid));
  return { at: performance.now(), seconds, ours, machine: machineCpuSeconds(), cores: coreBusySeconds() };
}

/**
 * Per process: percent of one core used between two snapshots; plus `others`: what the rest of
 * the machine (processes the bench did not start) used meanwhile, so a busy neighbour shows.
 */
export function cpuPercent(from: CpuSnapshot, to: CpuSnapshot): Record<string, number> {
  const wall = (to.at - from.at) / 1_000;
  const result: Record<string, number> = {};
  if (wall <= 0) return result;
  const percent = (seconds: number): number => Math.round((seconds / wall) * 1_000) / 10;
  for (const [name, end] of Object.entries(to.seconds)) {
    const start = from.seconds[name];
    if (end === null || start === null || start === undefined) continue;
    result[name] = percent(end - start);
  }
  let ours = 0;
  for (const [pid, end] of to.ours) {
    const start = from.ours.get(pid);
    if (end !== null && start !== null && start !== undefined) ours += end - start;
  }
  const machine = to.machine - from.machine;
  if (Number.isFinite(machine)) result['others'] = Math.max(0, percent(machine - ours));
  // How busy each core was in all (user, system, irq, softirq): a core near 100% is the bottleneck.
  to.cores.forEach((end, core) => {
    const start = from.cores[core];
    if (start !== undefined) result[`core${core}`] = percent(end - start);
  });
  return result;
}

/**
 * Waits (up to `maxWaitMs`) until processes the bench did not start use less than
 * `thresholdPercent` of one core over a second; returns what they used at the last look.
 */
export async function waitForQuietMachine(maxWaitMs: number, thresholdPercent: number, log: (line: string) => void): Promise<{ othersPercent: number; waitedMs: number }> {
  const started = Date.now();
  let warned = false;
  for (;;) {
    const from = cpuSnapshot({});
    await sleep(1_000);
    const others = cpuPercent(from, cpuSnapshot({}))['others'] ?? 0;
    const waitedMs = Date.now() - started;
    if (others < thresholdPercent || waitedMs >= maxWaitMs) {
      if (others >= thresholdPercent) log(`  machine still busy (others ${others.toFixed(0)}% of a core); measuring anyway`);
      return { othersPercent: others, waitedMs };
    }
    if (!warned) log(`  other processes use ${others.toFixed(0)}% of a core; waiting up to ${maxWaitMs / 1_000} s for a quieter machine`);
    warned = true;
  }
}
