/**
 * The real system as separate processes for end-to-end suites: a coordinator and agents started
 * from their built `dist/main.js`, each logging to a file, each stopped (or killed) on demand, and
 * a small client for the coordinator's REST API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './cli';
import { freePort, sleep, waitUntil } from './net';
import { redisEnv, type RedisTarget } from './suite-redis';

/** The secrets key every coordinator of a suite shares (they must open each other's sealed values). */
export const TEST_SECRETS_KEY = randomBytes(32).toString('base64');

const COORDINATOR_MAIN = join(REPO_ROOT, 'apps', 'coordinator', 'dist', 'main.js');
const AGENT_MAIN = join(REPO_ROOT, 'apps', 'agent', 'dist', 'main.js');

/** A process of the system under test. */
export interface SystemProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Whether it is still running. */
  running(): boolean;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited(): Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves with how it exited. */
  stop(graceMs?: number): Promise<number | string>;
  /** SIGKILL now: a crash, as far as the rest of the system can tell. */
  kill(): Promise<number | string>;
  /** The last lines of its log, for failure messages. */
  tail(lines?: number): string;
}

const started: SystemProcess[] = [];
const logDir = mkdtempSync(join(tmpdir(), 'crosscheck-e2e-logs-'));

function launch(name: string, main: string, env: Record<string, string>): SystemProcess {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [main], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exit: number | string | undefined;
  const exitedPromise = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = code ?? signal ?? 'unknown';
      resolve(exit);
    });
  });
  const proc: SystemProcess = {
    name,
    child,
    logFile,
    running: () => exit === undefined,
    exited: () => exitedPromise,
    async stop(graceMs = 10_000) {
      if (exit !== undefined) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exitedPromise;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      if (exit !== undefined) return exit;
      child.kill('SIGKILL');
      return exitedPromise;
    },
    tail(lines = 30) {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
  };
  started.push(proc);
  return proc;
}

/** Stops every process this module started; for `afterAll`. */
export async function stopAllSystemProcesses(): Promise<void> {
  await Promise.all(started.map((p) => p.stop(5_000)));
}

/**
 * Where a process finds Redis: `redis` (one server or a cluster's nodes: `REDIS_URL` or
 * `REDIS_CLUSTER_NODES`), or `redisUrl` as before.
 */
export type RedisOption = { redis: RedisTarget; redisUrl?: never } | { redisUrl: string; redis?: never };

function redisEnvOf(option: RedisOption): Record<string, string> {
  return redisEnv(option.redis === undefined ? { url: option.redisUrl } : option.redis);
}

export interface Coordinator extends SystemProcess {
  readonly baseUrl: string;
  readonly token: string;
}

/** Starts a coordinator and waits until `/health` answers (200 or 503). */
export async function startCoordinator(options: RedisOption & { token: string; name?: string; env?: Record<string, string> }): Promise<Coordinator> {
  const port = await freePort('127.0.0.1');
  const proc = launch(options.name ?? `coordinator-${port}`, COORDINATOR_MAIN, {
    ...redisEnvOf(options),
    API_TOKEN: options.token,
    SECRETS_KEY: TEST_SECRETS_KEY,
    PORT: String(port),
    HOST: '127.0.0.1',
    MIN_INTERVAL_SECONDS: '1',
    ROUND_GRACE_MS: '1500',
    LOG_LEVEL: 'info',
    // The suites' webhook receivers listen on loopback.
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    ...options.env,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const answered = await waitUntil(
    `${proc.name} to answer /health`,
    async () => {
      // An exit ends the wait at once (a configuration error, say), with its log.
      if (!proc.running()) return 'exited';
      const response = await fetch(`${baseUrl}/health`).catch(() => undefined);
      return response ? 'answered' : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  if (answered === 'exited') throw new Error(`${proc.name} exited before answering /health:\n${proc.tail()}`);
  return Object.assign(proc, { baseUrl, token: options.token });
}

/** Starts an agent of a region. */
export function startAgent(options: RedisOption & { region: string; agentId: string; resolve?: string; env?: Record<string, string> }): SystemProcess {
  return launch(`agent-${options.agentId}`, AGENT_MAIN, {
    ...redisEnvOf(options),
    REGION: options.region,
    AGENT_ID: options.agentId,
    CONCURRENCY: '50',
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: '5000',
    ...(options.resolve ? { RESOLVE: options.resolve } : {}),
    ...options.env,
  });
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A client for the coordinator's REST API, with the bearer token unless told otherwise. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, init: { raw?: string; token?: string | null } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    const token = init.token === undefined ? this.token : init.token;
    if (token) headers['authorization'] = `Bearer ${token}`;
    let payload: string | undefined;
    if (init.raw !== undefined) payload = init.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }
}

export { sleep };
