/**
 * Real server processes (nginx, varnishd, haproxy, ...) for end-to-end suites: each runs in the
 * foreground in its own process group and its own temp dir, is awaited until it answers HTTP, and
 * is killed with everything it forked on `stop()`.
 *
 * Leaks are guarded three ways:
 * - `stop()` signals the whole process group, then kills any survivor of the group or of the
 *   process tree it saw (workers, varnish's cache child);
 * - a synchronous `exit` hook kills whatever is still registered when the test process ends;
 * - a run dir records its owner's pid: the next run sweeps the processes of dirs whose owner died
 *   without cleaning up (a test worker killed with SIGKILL), matched by that dir on their command
 *   line or their process group, never by name.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { canConnect, httpGet, sleep } from './net';

const RUN_DIR_PREFIX = 'crosscheck-e2e-';
const OWNER_FILE = 'owner.json';

/** The absolute path of an executable, or an error that says which Debian package provides it. */
export function resolveBinary(name: string, aptPackage: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin', '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(
    `${name} is not installed (looked in PATH, /usr/sbin, /usr/local/sbin and /sbin). ` +
      `These suites run the real ${name}: install it with \`apt-get install ${aptPackage}\`.`,
  );
}

// ---------------------------------------------------------------------------------------------
// /proc helpers (Linux). Elsewhere they return nothing and the process-group signal does the work.

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  startTime: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid pgrp session ...`; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgid: Number(fields[2]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function listProcs(): ProcInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const procs: ProcInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info !== undefined) procs.push(info);
  }
  return procs;
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Live (non-zombie) processes of a group, plus every descendant of `root` wherever it went. */
function treeOf(root: number, pgid: number): ProcInfo[] {
  const procs = listProcs().filter((p) => p.state !== 'Z' && p.state !== 'X');
  const found = new Map<number, ProcInfo>();
  for (const p of procs) if (p.pgid === pgid || p.pid === root) found.set(p.pid, p);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

/** Whether `p` is still the same live process (not a zombie, not a recycled pid). */
function stillAlive(p: ProcInfo): boolean {
  const now = readProc(p.pid);
  return now !== undefined && now.startTime === p.startTime && now.state !== 'Z' && now.state !== 'X';
}

/** Removes a run dir; a failure (another user's dir, a busy mount) is not worth failing a suite over. */
function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // left behind in the temp dir
  }
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Run dirs and the registry of live processes.

interface OwnerRecord {
  ownerPid: number;
  /** Process group of the server, once started (for people reading a left-over dir). */
  pgid?: number;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let swept = false;

/**
 * Kills the processes of run dirs left behind by a test process that died without cleaning up,
 * and removes those dirs. A process is only touched when its command line names the dead owner's
 * run dir, or it is in a process group led by such a process (nginx workers name no dir).
 */
export function sweepOrphans(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((name) => name.startsWith(RUN_DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    let owner: OwnerRecord;
    try {
      owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as OwnerRecord;
    } catch {
      continue;
    }
    if (owner.ownerPid === process.pid || pidAlive(owner.ownerPid)) continue;
    const procs = listProcs();
    const named = procs.filter((p) => cmdlineOf(p.pid).includes(dir));
    // Only groups led by a named process: the servers started here lead their own groups.
    const groups = new Set(named.filter((p) => p.pid === p.pgid).map((p) => p.pgid));
    for (const p of procs) if (groups.has(p.pgid) || named.includes(p)) trySignal(p.pid, 'SIGKILL');
    removeDir(dir);
  }
}

/**
 * A fresh temp dir for one process, readable by the unprivileged users servers drop to when
 * started as root (nginx workers, varnish's vcache).
 */
export function makeRunDir(kind: string): string {
  if (!swept) {
    swept = true;
    sweepOrphans();
  }
  const dir = mkdtempSync(join(tmpdir(), `${RUN_DIR_PREFIX}${kind}-`));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ ownerPid: process.pid } satisfies OwnerRecord));
  return dir;
}

interface Registered {
  pgid: number;
  dir: string;
  keepDir: boolean;
}

const registry = new Map<number, Registered>();
/** Every process group started here, stopped or not: what `leakedProcesses` looks for. */
const startedGroups = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [pid, entry] of registry) {
      for (const p of treeOf(pid, entry.pgid)) trySignal(p.pid, 'SIGKILL');
      trySignal(-entry.pgid, 'SIGKILL');
      if (!entry.keepDir) removeDir(entry.dir);
    }
    registry.clear();
  });
}

/** Pids of processes started here and not yet stopped (their leaders). */
export function liveManagedPids(): number[] {
  return [...registry.keys()];
}

/** Every live process (leader, workers, children) started here and not yet stopped. */
export function liveManagedProcessTree(): number[] {
  return [...registry.entries()].flatMap(([pid, entry]) => treeOf(pid, entry.pgid).map((p) => p.pid));
}

export interface LeakedProcess {
  pid: number;
  pgid: number;
  cmdline: string;
}

/**
 * Live (non-zombie) processes that are in a process group started here, or whose command line
 * names a run dir of these suites: after every `stop()` this must be empty. (A zombie is dead: it
 * only waits for its parent, or for an init process that reaps orphans, to collect its status.)
 */
export function leakedProcesses(): LeakedProcess[] {
  const runDirRoot = join(tmpdir(), RUN_DIR_PREFIX);
  return listProcs()
    .filter((p) => p.state !== 'Z' && p.state !== 'X' && p.pid !== process.pid)
    .map((p) => ({ pid: p.pid, pgid: p.pgid, cmdline: cmdlineOf(p.pid) }))
    .filter((p) => startedGroups.has(p.pgid) || (p.cmdline.includes(runDirRoot) && !ownedByAnotherLiveProcess(p.cmdline, runDirRoot)));
}

/**
 * Whether the run dir a command line names belongs to another process that is still alive: the
 * run's shared Redis (started by the vitest global setup, in the main process) is not this
 * suite's leak.
 */
function ownedByAnotherLiveProcess(cmdline: string, runDirRoot: string): boolean {
  const start = cmdline.indexOf(runDirRoot);
  const dir = cmdline.slice(start).split(/[\s/]/, tmpdir().split('/').length + 1).join('/');
  try {
    const owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as OwnerRecord;
    return owner.ownerPid !== process.pid && pidAlive(owner.ownerPid);
  } catch {
    return false;
  }
}

const stoppers = new Map<number, () => Promise<void>>();

/** Stops everything started here. For `afterAll` hooks: the suite's safety net. */
export async function stopAllManagedProcesses(): Promise<void> {
  await Promise.all([...stoppers.values()].map((stop) => stop()));
}

// ---------------------------------------------------------------------------------------------

export interface ManagedProcessOptions {
  /** Label for messages, e.g. `nginx cache edge`. */
  name: string;
  /** Absolute path of the executable (see `resolveBinary`). */
  command: string;
  args: string[];
  /** Its run dir (see `makeRunDir`); removed on stop. */
  dir: string;
  /** Where it serves HTTP once ready. */
  host: string;
  port: number;
  /** Path requested to decide it is ready: any HTTP response will do. Default `/__crosscheck_ready`. */
  readyPath?: string;
  /** Files (logs) whose tail goes into error messages. */
  logFiles?: string[];
  startTimeoutMs?: number;
  /** Keep the run dir after stop (debugging). Also on with CROSSCHECK_KEEP_RUN_DIRS=1. */
  keepDir?: boolean;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly dir: string;
  /** `http://host:port/` */
  readonly url: string;
  /** Whether the leader has exited. */
  readonly exited: boolean;
  /** The tail of its stdout, stderr and log files. */
  output(): string;
  /** Stops it and everything it forked; idempotent. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 16_384;

function tail(text: string, limit = 4_000): string {
  return text.length > limit ? `…${text.slice(-limit)}` : text;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Starts a server in the foreground, in its own process group, and resolves once it answers HTTP. */
export async function startManagedProcess(options: ManagedProcessOptions): Promise<ManagedProcess> {
  const { name, command, args, dir, host, port } = options;
  const readyPath = options.readyPath ?? '/__crosscheck_ready';
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const keepDir = options.keepDir ?? process.env['CROSSCHECK_KEEP_RUN_DIRS'] === '1';
  const url = `http://${host}:${port}/`;

  installExitHook();
  // detached: its own session and process group, so one signal reaches everything it forks.
  const child = spawn(command, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let captured = '';
  const capture = (chunk: Buffer): void => {
    captured = (captured + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // A forgotten process must not keep the test runner alive; the exit hook still kills it.
  child.unref();
  (child.stdout as Socket | null)?.unref();
  (child.stderr as Socket | null)?.unref();

  const pid = child.pid;
  if (pid === undefined) {
    await sleep(0);
    throw new Error(`${name}: could not start ${command}: ${spawnError?.message ?? 'no pid'}`);
  }
  const pgid = pid;
  registry.set(pid, { pgid, dir, keepDir });
  startedGroups.add(pgid);
  try {
    writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ ownerPid: process.pid, pgid } satisfies OwnerRecord));
  } catch {
    // the run dir is the caller's; without the record only the orphan sweep is weaker
  }

  const output = (): string => {
    const parts = [`$ ${command} ${args.join(' ')}`, `--- stdout/stderr ---\n${tail(captured)}`];
    for (const file of options.logFiles ?? []) {
      if (!existsSync(file)) continue;
      try {
        parts.push(`--- ${file} ---\n${tail(readFileSync(file, 'utf8'))}`);
      } catch {
        // unreadable log: skip
      }
    }
    return parts.join('\n');
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const seen = treeOf(pid, pgid);
      trySignal(-pgid, 'SIGTERM');
      if (!(await waitForExit(child, 5_000))) trySignal(-pgid, 'SIGKILL');
      // Everything it forked must be gone too (workers, varnish's child), even if it left the group.
      const deadline = Date.now() + 3_000;
      for (;;) {
        const survivors = [...seen, ...treeOf(pid, pgid)].filter(stillAlive);
        if (survivors.length === 0) break;
        if (Date.now() > deadline) {
          for (const p of survivors) trySignal(p.pid, 'SIGKILL');
          await sleep(200);
          const stubborn = survivors.filter(stillAlive);
          if (stubborn.length > 0) throw new Error(`${name}: processes ${stubborn.map((p) => p.pid).join(', ')} survived SIGKILL`);
          break;
        }
        await sleep(50);
      }
      registry.delete(pid);
      stoppers.delete(pid);
      if (!keepDir) removeDir(dir);
    })();
    return stopping;
  };
  stoppers.set(pid, stop);

  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null || spawnError !== undefined;
  const deadline = Date.now() + startTimeoutMs;
  let lastProblem = 'not listening yet';
  try {
    for (;;) {
      if (exited()) {
        throw new Error(
          `${name} exited before it was ready (code ${String(child.exitCode)}, signal ${String(child.signalCode)}` +
            `${spawnError ? `, ${spawnError.message}` : ''})\n${output()}`,
        );
      }
      if (await canConnect(host, port, 250)) {
        try {
          await httpGet(new URL(readyPath, url).toString(), { timeoutMs: 3_000 });
          break;
        } catch (error) {
          lastProblem = error instanceof Error ? error.message : String(error);
        }
      }
      if (Date.now() > deadline) throw new Error(`${name} did not answer on ${url} within ${startTimeoutMs} ms (${lastProblem})\n${output()}`);
      await sleep(50);
    }
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  return {
    name,
    pid,
    dir,
    url,
    get exited() {
      return exited();
    },
    output,
    stop,
  };
}
