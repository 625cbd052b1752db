import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort, isPortFree } from './ports';
import { encodeCommand, findRedisServer, pingRedis, startLocalRedis } from './redis';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('pingRedis', () => {
  it('encodes commands as RESP arrays', () => {
    expect(encodeCommand(['AUTH', 'pässword'])).toBe('*2\r\n$4\r\nAUTH\r\n$9\r\npässword\r\n');
  });

  it('says why when nothing answers, never throws', async () => {
    const port = await freeLoopbackPort();
    expect(await pingRedis(`redis://127.0.0.1:${port}`)).toBe('ECONNREFUSED');
    expect(await pingRedis('not a url')).toMatch(/not a URL/);
    expect(await pingRedis('http://127.0.0.1:6379')).toMatch(/unsupported scheme/);
  });
});

describe.skipIf(findRedisServer() === undefined)('startLocalRedis', () => {
  it('starts a throwaway redis-server that answers PING, and stops it (port freed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crosscheck-demo-spec-'));
    dirs.push(dir);
    const redis = await startLocalRedis(findRedisServer()!, join(dir, 'data'), join(dir, 'redis.log'));
    expect(await pingRedis(redis.url)).toBeUndefined();
    expect(await pingRedis(redis.url.replace('redis://', 'redis://:wrong@'))).toMatch(/Redis answered ERR|AUTH/);
    const port = Number(new URL(redis.url).port);
    await redis.child.stop(5_000);
    expect(redis.child.exited).toBe(true);
    expect(redis.child.crashed).toBe(false);
    expect(await isPortFree(port)).toBe(true);
  });
});
