import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRootLogger } from './create-root-logger';

/** Every line the logger writes, parsed. */
function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, lines: () => text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createRootLogger', () => {
  it('keeps URL userinfo and credential headers out of fields, messages and errors, at any depth', () => {
    const { stream, lines } = capture();
    const logger = createRootLogger({ logLevel: 'info' }, stream).child({ component: 'test' });
    logger.info(
      {
        url: 'http://alice:pa55word@shop.example/health',
        spec: { url: 'https://tok3n@api.example/', headers: { 'X-Api-Key': 'k3y-value', 'X-Custom': 'c0stom', Accept: 'text/html' }, secretHeaders: ['X-Custom'] },
        req: { headers: { authorization: 'Bearer b3arer', cookie: 'sid=c00kie' } },
        deep: { a: { b: { c: { headers: { 'x-auth-token': 't0ken' } } } } },
      },
      'probing http://alice:pa55word@shop.example/health',
    );
    logger.error({ err: new Error('connect to https://bob:hunt3r2@db.example/ failed') }, 'boom');

    const written = JSON.stringify(lines());
    for (const secret of ['pa55word', 'tok3n', 'k3y-value', 'c0stom', 'b3arer', 'c00kie', 't0ken', 'hunt3r2', 'alice', 'bob']) {
      expect(written, secret).not.toContain(secret);
    }
    const [info, error] = lines();
    expect(info).toMatchObject({
      msg: 'probing http://***@shop.example/health',
      url: 'http://***@shop.example/health',
      spec: { url: 'https://***@api.example/', headers: { 'X-Api-Key': '[redacted]', 'X-Custom': '[redacted]', Accept: 'text/html' } },
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } },
      component: 'test',
      level: 'info',
    });
    expect(error).toMatchObject({ err: { type: 'Error', message: 'connect to https://***@db.example/ failed' } });
    expect((error!['err'] as { stack: string }).stack).toContain('https://***@db.example/');
  });
});
