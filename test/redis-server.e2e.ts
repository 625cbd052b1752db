/**
 * test/support/redis-server.ts, binary path: a persistent redis-server keeps its data across
 * restart() and crash() + start() on the same URL, and stop() frees the port and leaves no process behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { canConnect } from './support/net';
import { findRedisServerBinary, pingRedis, startRedis, type TestRedis } from './support/redis-server';

/** One command over a fresh connection; returns the raw first reply line(s). */
function redisCommand(url: string, words: string[]): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let received = '';
    socket.setTimeout(3_000, () => socket.destroy(new Error(`${words[0]} timed out`)));
    socket.once('connect', () => socket.write(`*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      // Simple replies end at the first CRLF; bulk replies ($n) after their payload.
      const bulk = /^\$(-?\d+)\r\n/.exec(received);
      const complete = bulk ? Number(bulk[1]) < 0 || received.length >= bulk[0].length + Number(bulk[1]) + 2 : received.includes('\r\n');
      if (complete) {
        socket.end();
        resolve(received);
      }
    });
    socket.once('error', reject);
  });
}

function pidsOf(pattern: string): number[] {
  // /proc scan, no `ps` needed.
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(pattern);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const started: TestRedis[] = [];
afterAll(async () => {
  await Promise.all(started.map((redis) => redis.stop()));
});

describe.skipIf(findRedisServerBinary() === undefined)('startRedis: local redis-server binary', () => {
  it('persistent: a key written before restart() is there after it, on the same URL; stop() frees the port', async () => {
    const redis = await startRedis({ persistent: true, source: 'binary' });
    started.push(redis);
    expect(redis.source).toBe('binary');
    const { port } = new URL(redis.url);
    expect(new URL(redis.url).hostname).toBe('127.0.0.1');
    expect(await redisCommand(redis.url, ['CONFIG', 'GET', 'appendonly'])).toContain('yes');
    expect(await redisCommand(redis.url, ['CONFIG', 'GET', 'maxmemory-policy'])).toContain('noeviction');
    expect(await redisCommand(redis.url, ['SET', 'crosscheck:e2e:survivor', 'still-here'])).toBe('+OK\r\n');

    await redis.restart();
    expect(new URL(redis.url).port).toBe(port);
    expect(await pingRedis(redis.url)).toBeUndefined();
    expect(await redisCommand(redis.url, ['GET', 'crosscheck:e2e:survivor'])).toBe('$10\r\nstill-here\r\n');

    const before = pidsOf(`127.0.0.1:${port}`);
    expect(before.length).toBe(1);
    await redis.stop();
    expect(await canConnect('127.0.0.1', Number(port), 300)).toBe(false);
    expect(pidsOf(`127.0.0.1:${port}`)).toEqual([]);
    await redis.stop(); // idempotent
    await expect(redis.restart()).rejects.toThrow(/after stop/);
  });

  it('persistent: crash() is a SIGKILL that leaves the port refusing until start(), which comes back from the AOF', async () => {
    const redis = await startRedis({ persistent: true, source: 'binary' });
    started.push(redis);
    const { port } = new URL(redis.url);
    expect(await redisCommand(redis.url, ['SET', 'crosscheck:e2e:crash', 'acknowledged'])).toBe('+OK\r\n');
    await redis.crash();
    expect(await canConnect('127.0.0.1', Number(port), 300)).toBe(false);
    expect(pidsOf(`127.0.0.1:${port}`)).toEqual([]);
    await redis.start();
    expect(new URL(redis.url).port).toBe(port);
    expect(await redisCommand(redis.url, ['GET', 'crosscheck:e2e:crash'])).toBe('$12\r\nacknowledged\r\n');
    await redis.start(); // already running: a no-op
    await redis.stop();
    await expect(redis.crash()).rejects.toThrow(/after stop/);
  });

  it('not persistent: throwaway data, no AOF', async () => {
    const redis = await startRedis({ source: 'binary' });
    started.push(redis);
    expect(await redisCommand(redis.url, ['CONFIG', 'GET', 'appendonly'])).toContain('no');
    expect(await redisCommand(redis.url, ['SET', 'k', 'v'])).toBe('+OK\r\n');
    await redis.restart();
    expect(await redisCommand(redis.url, ['GET', 'k'])).toBe('$-1\r\n');
    await redis.stop();
  });

  it('REDIS_URL is used first, and cannot be restarted', async () => {
    const own = await startRedis({ source: 'binary' });
    started.push(own);
    const previous = process.env['REDIS_URL'];
    process.env['REDIS_URL'] = own.url;
    try {
      const shared = await startRedis();
      expect(shared.source).toBe('env');
      expect(shared.url).toBe(own.url);
      await expect(shared.restart()).rejects.toThrow(/not supported with REDIS_URL/);
      await shared.stop();
      expect(await pingRedis(own.url)).toBeUndefined();
      // Restartable suites skip REDIS_URL.
      const restartable = await startRedis({ restartable: true });
      started.push(restartable);
      expect(restartable.source).not.toBe('env');
      expect(restartable.url).not.toBe(own.url);
      await restartable.stop();
    } finally {
      if (previous === undefined) delete process.env['REDIS_URL'];
      else process.env['REDIS_URL'] = previous;
    }
  });

  it('a REDIS_URL that does not answer is a clear error', async () => {
    const previous = process.env['REDIS_URL'];
    process.env['REDIS_URL'] = 'redis://127.0.0.1:1';
    try {
      await expect(startRedis()).rejects.toThrow(/REDIS_URL=redis:\/\/127\.0\.0\.1:1 does not answer PING/);
    } finally {
      if (previous === undefined) delete process.env['REDIS_URL'];
      else process.env['REDIS_URL'] = previous;
    }
  });
});
