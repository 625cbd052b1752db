import { describe, expect, it } from 'vitest';
import { cacheName, failedDependencies } from './evidence-words';
import { listWords } from './region-list';
import { cut } from './text-limits';
import { instantWords, latencyWords, spanWords } from './time-words';

describe('words', () => {
  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [60, '1 min'],
    [5400, '1 h 30 min'],
    [10_800, '3 h'],
    [90_000, '1 d 1 h'],
    [172_800, '2 d'],
  ])('spanWords(%d) = %s', (seconds, words) => expect(spanWords(seconds)).toBe(words));

  it('says times in UTC', () => {
    expect(instantWords('2026-11-25T08:59:31.000Z')).toBe('08:59 UTC on 25 Nov 2026');
    expect(instantWords('not a time')).toBe('not a time');
    expect(latencyWords(4_800)).toBe('4.8 s');
    expect(latencyWords(120)).toBe('120 ms');
  });

  it('lists names as a sentence, counting past five', () => {
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a and b');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listWords(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
  });

  it('cuts without splitting a surrogate pair', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('ab🔥cd', 4)).toBe('ab…');
    expect(cut('ab🔥cd', 5)).toBe('ab🔥…');
  });

  it('names the cache from its signals', () => {
    expect(cacheName(['via: 1.1 varnish (Varnish/7.1)', 'x-cache: HIT'])).toBe('Varnish');
    expect(cacheName(['cf-cache-status: HIT'])).toBe('Cloudflare');
    expect(cacheName(['x-served-by: cache-fra-etou8220029-FRA'])).toBe('Fastly');
    expect(cacheName(['age: 40'])).toBe('a cache');
  });

  it('reads the failed dependencies of a health document', () => {
    expect(failedDependencies('health document (spring-actuator) reports DOWN: db, redis')).toEqual(['db', 'redis']);
    expect(failedDependencies('health document (ietf) reports pass, but failed: queue')).toEqual(['queue']);
    expect(failedDependencies('health document reports down')).toBeNull();
  });
});
