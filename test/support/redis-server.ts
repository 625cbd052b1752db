/**
 * A Redis for end-to-end suites, from the first source that works:
 *
 * 1. `REDIS_URL`, when set (and the suite needs neither persistence nor restarts): used as is;
 *    `restart()` throws, `stop()` leaves it running. A set `REDIS_URL` that does not answer is an
 *    error, not a reason to silently use something else.
 * 2. A `redis:7` container through testcontainers, only when a Docker engine answers `/_ping`
 *    within a second (DOCKER_HOST, /var/run/docker.sock, rootless and Desktop sockets): no hang
 *    when there is none.
 * 3. A local `redis-server` binary on a free loopback port, in its own temp dir.
 *
 * With `persistent: true` Redis runs with `--appendonly yes --appendfsync always`, so data written
 * before `restart()` is there after it; `restart()` keeps the URL (same port, same dir).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import { canConnect, freePort, sleep } from './net';
import { makeRunDir } from './processes';
import { findRedisServer, pingRedis } from '../../apps/demo/src/launcher/redis';

/** A Redis the suite can use. */
export interface TestRedis {
  /** `redis://host:port`. */
  readonly url: string;
  /** Where it came from. */
  readonly source: RedisSource;
  /**
   * Stops Redis (SIGTERM: it flushes its AOF) and starts it again on the same URL; resolves when
   * it answers PING again. Throws for `REDIS_URL`, which the suite does not own.
   */
  restart(): Promise<void>;
  /**
   * SIGKILL: Redis dies at once, as in a crash (with `persistent`, every acknowledged write is in
   * its AOF). It stays down, its port refusing connections, until {@link TestRedis.start}.
   * Only a `redis-server` binary started here can be killed: the other sources reject.
   */
  crash(): Promise<void>;
  /** Starts it again on the same URL (and dir) after {@link TestRedis.crash}; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it and removes its data (no-op for `REDIS_URL`). Idempotent. */
  stop(): Promise<void>;
}

/** Where a {@link TestRedis} came from. */
export type RedisSource = 'env' | 'container' | 'binary';

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** AOF with fsync on every write, so `restart()` keeps the data. Implies `restartable`. */
  persistent?: boolean;
  /** The suite calls `restart()`: `REDIS_URL` is skipped. */
  restartable?: boolean;
  /** Force one source (e.g. `binary` to test that path); default: the first that works. */
  source?: RedisSource;
}

// PING and the binary lookup are the demo launcher's: one implementation of each.
export { pingRedis };

async function waitForPong(url: string, timeoutMs: number, gaveUp: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = await pingRedis(url, 500);
    if (problem === undefined) return;
    const fatal = gaveUp();
    if (fatal !== undefined) throw new Error(fatal);
    if (Date.now() > deadline) throw new Error(`Redis at ${url} did not answer PING within ${timeoutMs} ms (last: ${problem})`);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Docker detection

function pingDocker(target: { socketPath: string } | { host: string; port: number }, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}

/**
 * Whether a Docker engine answers, within about a second: `DOCKER_HOST` (unix:// or tcp://; with
 * TLS only a TCP connect is tried), else the usual sockets. Never hangs.
 */
export async function dockerEngineAnswers(): Promise<boolean> {
  const dockerHost = process.env['DOCKER_HOST'];
  if (dockerHost !== undefined && dockerHost !== '') {
    if (dockerHost.startsWith('unix://')) return pingDocker({ socketPath: dockerHost.slice('unix://'.length) });
    if (dockerHost.startsWith('tcp://')) {
      const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      const port = url.port === '' ? 2375 : Number(url.port);
      if (process.env['DOCKER_TLS_VERIFY'] === '1') return canConnect(url.hostname, port, 1_000);
      return pingDocker({ host: url.hostname, port });
    }
    return false;
  }
  const candidates = ['/var/run/docker.sock', join(homedir(), '.docker', 'run', 'docker.sock')];
  const runtimeDir = process.env['XDG_RUNTIME_DIR'];
  if (runtimeDir !== undefined && runtimeDir !== '') candidates.push(join(runtimeDir, 'docker.sock'));
  for (const socketPath of candidates) {
    if (existsSync(socketPath) && (await pingDocker({ socketPath }))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Sources

function redisArguments(persistent: boolean): string[] {
  return persistent
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction']
    : ['--appendonly', 'no', '--save', '', '--maxmemory-policy', 'noeviction'];
}

async function fromEnv(url: string): Promise<TestRedis> {
  const problem = await pingRedis(url, 2_000);
  if (problem !== undefined) {
    throw new Error(`REDIS_URL=${url} does not answer PING (${problem}). Start that Redis, or unset REDIS_URL to let the suites start their own.`);
  }
  return {
    url,
    source: 'env',
    restart: () =>
      Promise.reject(
        new Error('restart() is not supported with REDIS_URL (the suite does not own that Redis): ask startRedis for { restartable: true } or { persistent: true }, which skip REDIS_URL.'),
      ),
    crash: () => Promise.reject(new Error('crash() is not supported with REDIS_URL: ask startRedis for { source: "binary" }')),
    start: () => Promise.reject(new Error('start() is not supported with REDIS_URL: ask startRedis for { source: "binary" }')),
    stop: () => Promise.resolve(),
  };
}

async function fromContainer(persistent: boolean): Promise<TestRedis> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const hostPort = await freePort();
  const container: StartedTestContainer = await new GenericContainer('redis:7')
    .withExposedPorts({ container: 6379, host: hostPort })
    .withCommand(['redis-server', ...redisArguments(persistent)])
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .withStartupTimeout(60_000)
    .start();
  const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
  await waitForPong(url, 10_000, () => undefined);
  let stopped: Promise<void> | undefined;
  return {
    url,
    source: 'container',
    restart: async () => {
      await container.restart({ timeout: 10_000 });
      await waitForPong(url, 30_000, () => undefined);
    },
    crash: () => Promise.reject(new Error('crash() is not supported with a container: ask startRedis for { source: "binary" }')),
    start: () => Promise.reject(new Error('start() is not supported with a container: ask startRedis for { source: "binary" }')),
    stop: () => {
      stopped ??= container.stop({ remove: true, removeVolumes: true }).then(() => undefined);
      return stopped;
    },
  };
}

/** The absolute path of `redis-server`, or `undefined`. */
export const findRedisServerBinary = findRedisServer;

const liveBinaries = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
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

/** What a {@link RedisServerProcess} runs: a port and a dir of its own, and extra config. */
export interface RedisServerProcessOptions {
  binary: string;
  port: number;
  /** Its data dir (inside a run dir of the suites, see `makeRunDir`); its config file goes there. */
  dir: string;
  /** AOF with fsync on every write (else no persistence at all). */
  persistent: boolean;
  /** More `redis.conf` lines (cluster mode, replication tuning, `aclfile`). */
  config?: string[];
  /** `user:password` the readiness PING authenticates with, when the default user is off (an ACL file). */
  credentials?: string;
}

/**
 * One `redis-server` on 127.0.0.1 at a fixed port and dir, started, stopped, killed and started
 * again on demand; killed with SIGKILL if the test process exits with it still running. Its
 * process title names its config file, so the orphan sweep of the run dirs finds it.
 */
export class RedisServerProcess {
  readonly url: string;
  private child: ChildProcess | undefined;
  private captured = '';

  constructor(private readonly options: RedisServerProcessOptions) {
    this.url = `redis://127.0.0.1:${options.port}`;
  }

  get port(): number {
    return this.options.port;
  }

  /** Whether it is running (started and not exited). */
  get running(): boolean {
    return this.child !== undefined && !exited(this.child);
  }

  /** The tail of what it printed, for error messages. */
  output(): string {
    return this.captured;
  }

  /** Starts it (writing its config file) and resolves once it answers PING. */
  async start(): Promise<void> {
    if (this.running) return;
    const { binary, port, dir, persistent } = this.options;
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', () => {
        for (const child of liveBinaries) killGroup(child, 'SIGKILL');
      });
    }
    if (await canConnect('127.0.0.1', port, 200)) {
      throw new Error(`cannot (re)start redis-server on ${this.url}: something else is listening on port ${port}`);
    }
    const config = join(dir, 'redis.conf');
    writeFileSync(
      config,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        'protected-mode yes',
        `dir ${dir}`,
        'daemonize no',
        'logfile ""',
        'proc-title-template "{title} {listen-addr} {server-mode} {config-file}"',
        ...(this.options.config ?? []),
        '',
      ].join('\n'),
    );
    const started = spawn(binary, [config, ...redisArguments(persistent)], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const capture = (chunk: Buffer): void => {
      this.captured = (this.captured + chunk.toString('utf8')).slice(-8_000);
    };
    started.stdout?.on('data', capture);
    started.stderr?.on('data', capture);
    started.once('error', (error) => {
      this.captured += `\nspawn error: ${error.message}`;
    });
    started.once('exit', () => liveBinaries.delete(started));
    // A forgotten Redis must not keep the test process alive; the exit hook still kills it.
    started.unref();
    (started.stdout as net.Socket | null)?.unref();
    (started.stderr as net.Socket | null)?.unref();
    this.child = started;
    liveBinaries.add(started);
    const pingUrl = this.options.credentials === undefined ? this.url : this.url.replace('redis://', `redis://${this.options.credentials}@`);
    await waitForPong(pingUrl, 15_000, () => (exited(started) ? `redis-server exited at start (code ${String(started.exitCode)}):\n${this.captured}` : undefined));
  }

  /**
   * SIGTERM (Redis fsyncs its AOF and exits cleanly) or SIGKILL (a crash); resolves once it has
   * exited and its port refuses connections.
   */
  async halt(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const running = this.child;
    if (running === undefined || exited(running)) return;
    killGroup(running, signal);
    if (!(await waitExit(running, 10_000))) {
      killGroup(running, 'SIGKILL');
      await waitExit(running, 5_000);
    }
    const deadline = Date.now() + 5_000;
    while ((await canConnect('127.0.0.1', this.options.port, 200)) && Date.now() < deadline) await sleep(50);
  }
}

async function fromBinary(binary: string, persistent: boolean): Promise<TestRedis> {
  // A run dir of the e2e suites: if this test process dies without cleaning up, the next run's
  // orphan sweep finds redis-server by this dir, which its process title names (config-file).
  const dir = makeRunDir('redis');
  const server = new RedisServerProcess({ binary, port: await freePort('127.0.0.1'), dir, persistent });
  try {
    await server.start();
  } catch (error) {
    await server.halt();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    source: 'binary',
    restart: async () => {
      if (stopped !== undefined) throw new Error('restart() after stop()');
      await server.halt();
      await server.start();
    },
    crash: async () => {
      if (stopped !== undefined) throw new Error('crash() after stop()');
      await server.halt('SIGKILL');
    },
    start: async () => {
      if (stopped !== undefined) throw new Error('start() after stop()');
      await server.start();
    },
    stop: () => {
      stopped ??= (async () => {
        await server.halt();
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/**
 * A Redis for an end-to-end suite: `REDIS_URL`, else a `redis:7` container when Docker answers,
 * else a local `redis-server` (see the module comment). Throws, saying what to install, when
 * none is possible.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<TestRedis> {
  const persistent = options.persistent === true;
  const restartable = persistent || options.restartable === true;
  const envUrl = process.env['REDIS_URL'];
  const tried: string[] = [];

  if (options.source === 'env' || (options.source === undefined && envUrl !== undefined && envUrl !== '' && !restartable)) {
    if (envUrl === undefined || envUrl === '') throw new Error('startRedis({ source: "env" }) needs REDIS_URL');
    if (restartable) throw new Error('REDIS_URL cannot be restarted by the suite: drop { persistent, restartable } or use another source');
    return fromEnv(envUrl);
  }
  if (envUrl !== undefined && envUrl !== '') tried.push('REDIS_URL (skipped: the suite needs to restart Redis)');

  if (options.source === 'container' || options.source === undefined) {
    if (await dockerEngineAnswers()) return fromContainer(persistent);
    tried.push('Docker (no engine answers on DOCKER_HOST or /var/run/docker.sock)');
    if (options.source === 'container') throw new Error(`startRedis({ source: "container" }): ${tried.join('; ')}`);
  }

  const binary = findRedisServerBinary();
  if (binary !== undefined) return fromBinary(binary, persistent);
  tried.push('redis-server (not on PATH)');
  throw new Error(
    `No Redis for the end-to-end suites. Tried: ${tried.join('; ')}. ` +
      'Install one: `apt-get install redis-server` (or `brew install redis`), start Docker, or set REDIS_URL=redis://127.0.0.1:6379.',
  );
}
