/**
 * Finding a Redis for the demo: `REDIS_URL` when it answers, else a throwaway `redis-server` on a
 * free loopback port in a temp dir.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import * as net from 'node:net';
import { delimiter, join } from 'node:path';
import * as tls from 'node:tls';
import { freeLoopbackPort } from './ports';
import { startChild, type Child } from './processes';

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(words: readonly string[]): string {
  return `*${words.length}\r\n${words.map((word) => `$${Buffer.byteLength(word)}\r\n${word}\r\n`).join('')}`;
}

/**
 * Sends `PING` (after `AUTH` when the URL has credentials) and resolves with `undefined` when
 * Redis answered `+PONG`, else with why not. Never rejects; gives up after `timeoutMs`.
 */
export function pingRedis(redisUrl: string, timeoutMs = 2_000): Promise<string | undefined> {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    return Promise.resolve(`"${redisUrl}" is not a URL (expected redis://host:port)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return Promise.resolve(`unsupported scheme ${url.protocol} (expected redis: or rediss:)`);
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = url.port === '' ? 6379 : Number(url.port);
  const commands: string[][] = [];
  const password = decodeURIComponent(url.password);
  const username = decodeURIComponent(url.username);
  if (password !== '') commands.push(username !== '' ? ['AUTH', username, password] : ['AUTH', password]);
  else if (username !== '') commands.push(['AUTH', username]);
  commands.push(['PING']);
  return new Promise((resolve) => {
    let settled = false;
    let received = '';
    const socket: net.Socket =
      url.protocol === 'rediss:' ? tls.connect({ host, port, servername: net.isIP(host) === 0 ? host : undefined }) : net.connect({ host, port });
    const finish = (problem: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(problem);
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      socket.write(commands.map(encodeCommand).join(''));
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      const lines = received.split('\r\n');
      if (lines.length - 1 < commands.length) return;
      const replies = lines.slice(0, commands.length);
      const failed = replies.find((reply) => reply.startsWith('-'));
      if (failed !== undefined) finish(`Redis answered ${failed.slice(1)}`);
      else if (replies[replies.length - 1] === '+PONG') finish(undefined);
      else finish(`unexpected answer ${JSON.stringify(replies[replies.length - 1])}`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.once('close', () => finish('connection closed'));
  });
}

/** The absolute path of `redis-server`, or `undefined` when it is not installed. */
export function findRedisServer(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin', '/opt/homebrew/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** A `redis-server` started by the demo. */
export interface LocalRedis {
  url: string;
  child: Child;
}

/**
 * Starts `redis-server` on a free port of 127.0.0.1 with its data in `dir` (no snapshots, no AOF:
 * the demo's data is throwaway), `maxmemory-policy noeviction` as production wants, and waits
 * until it answers `PING`.
 */
export async function startLocalRedis(binary: string, dir: string, logFile: string): Promise<LocalRedis> {
  mkdirSync(dir, { recursive: true });
  const port = await freeLoopbackPort();
  const child = startChild({
    name: 'redis-server',
    command: binary,
    args: [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--protected-mode', 'yes',
      '--dir', dir,
      '--save', '',
      '--appendonly', 'no',
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
      '--logfile', '',
    ],
    cwd: dir,
    env: {},
    logFile,
  });
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  let problem = await pingRedis(url, 500);
  while (problem !== undefined) {
    if (child.exited) throw new Error(`redis-server exited at start (${child.exitDescription()}); see ${logFile}`);
    if (Date.now() > deadline) {
      await child.stop();
      throw new Error(`redis-server did not answer on ${url} within 10 s (${problem}); see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    problem = await pingRedis(url, 500);
  }
  return { url, child };
}
