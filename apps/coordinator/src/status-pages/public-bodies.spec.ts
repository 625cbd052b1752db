import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, PublicBodies } from './public-bodies';

const withEncoding = (header: string | undefined) => ({ headers: header === undefined ? {} : { 'accept-encoding': header } }) as IncomingMessage;

describe('the public pages’ bodies', () => {
  it.each([
    [undefined, false],
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['gzip;q=0', false],
    ['identity', false],
    ['*', true],
    ['*;q=0', false],
    ['*, gzip;q=0', false],
  ])('Accept-Encoding %s takes gzip: %s', (header, expected) => {
    expect(acceptsGzip(withEncoding(header))).toBe(expected);
  });

  it('renders and compresses once per view and kind', async () => {
    const bodies = new PublicBodies();
    const view = {};
    let renders = 0;
    const render = () => {
      renders++;
      return 'é'.repeat(10_000);
    };
    const [first, second] = await Promise.all([bodies.of(view, 'html', render), bodies.of(view, 'html', render)]);
    expect(renders).toBe(1);
    expect(second).toBe(first);
    expect(first.identity.toString('utf8')).toBe('é'.repeat(10_000));
    expect(gunzipSync(first.gzip).equals(first.identity)).toBe(true);
    expect(first.gzip.length).toBeLessThan(first.identity.length / 10);
    await bodies.of(view, 'json', render);
    await bodies.of({}, 'html', render);
    expect(renders).toBe(3);
  });
});
