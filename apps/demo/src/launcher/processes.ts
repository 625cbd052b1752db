/**
 * Child processes of the demo (redis-server, coordinator, agents): each in its own process group
 * (so a terminal's Ctrl-C reaches the demo only, and the demo stops them in order), output to a
 * log file, stopped with SIGTERM then SIGKILL. Three safety nets keep them from outliving the
 * demo: `stop()`, a synchronous `exit` hook that SIGKILLs whatever is left, and the reaper (a
 * tiny detached process that cleans up if the demo itself is killed with SIGKILL).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';

/** How to start a child. */
export interface ChildOptions {
  /** Label for messages, e.g. `agent eu-west`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  /** Added to (and overriding) the demo's own environment. */
  env: Record<string, string>;
  /** Its stdout and stderr go here (appended). */
  logFile: string;
}

/** A running (or exited) child. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Whether it has exited. */
  readonly exited: boolean;
  /** Whether it exited without being asked to. */
  readonly crashed: boolean;
  /** `code 1`, `signal SIGKILL`, or `running`. */
  exitDescription(): string;
  /** Called once when it exits without being asked to. */
  onUnexpectedExit(listener: () => void): void;
  /** SIGTERM to its process group, SIGKILL after `graceMs`; resolves once it has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Map<number, Child>();
let stateFile: string | undefined;
let exitHookInstalled = false;

function writeState(): void {
  if (stateFile === undefined) return;
  try {
    writeFileSync(stateFile, JSON.stringify({ pgids: [...live.keys()] }));
  } catch {
    // the reaper then only misses the newest change; stop() and the exit hook still work
  }
}

/** Records the live process groups in `file` (read by the reaper) from now on. */
export function recordChildrenIn(file: string): void {
  stateFile = file;
  writeState();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of live.keys()) signalGroup(pid, 'SIGKILL');
    live.clear();
    writeState();
  });
}

/** SIGKILLs every child still running, at once (last resort). */
export function killAllChildren(): void {
  for (const pid of live.keys()) signalGroup(pid, 'SIGKILL');
}

/** Children not yet exited. */
export function liveChildren(): Child[] {
  return [...live.values()];
}

/** Starts a child in its own process group with its output in `logFile`. */
export function startChild(options: ChildOptions): Child {
  installExitHook();
  const fd = openSync(options.logFile, 'a');
  let child;
  try {
    child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  let exited = false;
  let stopping = false;
  let crashed = false;
  let exitDescription = 'running';
  const listeners: (() => void)[] = [];
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      exitDescription = signal !== null ? `signal ${signal}` : `code ${String(code)}`;
      // Whatever it forked goes with it.
      signalGroup(pid, 'SIGKILL');
      live.delete(pid);
      writeState();
      if (!stopping) {
        crashed = true;
        for (const listener of listeners) listener();
      }
      resolve();
    });
  });
  child.once('error', () => undefined);
  let stopped: Promise<void> | undefined;
  const handle: Child = {
    name: options.name,
    pid,
    logFile: options.logFile,
    get exited() {
      return exited;
    },
    get crashed() {
      return crashed;
    },
    exitDescription: () => exitDescription,
    onUnexpectedExit: (listener) => {
      listeners.push(listener);
    },
    stop: (graceMs = 10_000) => {
      stopped ??= (async () => {
        stopping = true;
        if (exited) return;
        signalGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
        await exitedPromise;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
  live.set(pid, handle);
  writeState();
  return handle;
}
