import { MonitorSpecError } from '@crosscheck/checks';
import { describe, expect, it } from 'vitest';
import { CompiledSpecCache, specKey } from './compiled-spec-cache';

describe('specKey', () => {
  it('is the same for the same spec text, whatever object holds it', () => {
    const text = JSON.stringify({ url: 'https://example.com/', expect: { status: [200], body: { contains: ['ok'] } } });
    expect(specKey(JSON.parse(text))).toBe(specKey(JSON.parse(text)));
  });

  it.each([
    [{ url: 'https://example.com/' }, { url: 'https://example.com' }],
    [{ expect: { status: [200, 204] } }, { expect: { status: [204, 200] } }],
    [{ a: '1' }, { a: 1 }],
    [{ a: null }, {}],
  ])('tells %j from %j', (a, b) => {
    expect(specKey(a)).not.toBe(specKey(b));
  });
});

describe('CompiledSpecCache', () => {
  it('compiles a spec once and reuses it', () => {
    const cache = new CompiledSpecCache(10);
    const first = cache.get({ url: 'https://example.com/', expect: { body: { matches: ['ok|fine'] } } });
    const second = cache.get({ url: 'https://example.com/', expect: { body: { matches: ['ok|fine'] } } });
    expect(second).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently used spec beyond its capacity', () => {
    const cache = new CompiledSpecCache(2);
    const a = cache.get({ url: 'https://a.example/' });
    cache.get({ url: 'https://b.example/' });
    cache.get({ url: 'https://a.example/' });
    cache.get({ url: 'https://c.example/' });
    expect(cache.size).toBe(2);
    expect(cache.get({ url: 'https://a.example/' })).toBe(a);
    expect(cache.size).toBe(2);
  });

  it('throws MonitorSpecError for an invalid spec and does not keep it', () => {
    const cache = new CompiledSpecCache(2);
    expect(() => cache.get({ url: 'ftp://example.com/' })).toThrow(MonitorSpecError);
    expect(cache.size).toBe(0);
  });

  it('refuses a spec of 1,000 regular expressions instead of compiling it (that stopped heartbeats for 22 s)', { timeout: 120_000 }, () => {
    const cache = new CompiledSpecCache(2);
    const matches = Array.from({ length: 1_000 }, (_, i) => `(?i)(error|failure|exception)\\s+code\\s*[:=]\\s*${i}[0-9a-f]{4,32}(?:\\s+at\\s+\\S+){0,8}`);
    expect(() => cache.get({ url: 'https://example.com/', expect: { body: { matches } } })).toThrow(MonitorSpecError);
    expect(cache.size).toBe(0);
  });

  it('refuses one expression whose counted repetitions expand to thousands of instructions', () => {
    const cache = new CompiledSpecCache(2);
    expect(() => cache.get({ url: 'https://example.com/', expect: { body: { matches: ['[a-z]{1,1000}'.repeat(39)] } } })).toThrow(/expect\.body\.matches\.0/);
  });
});
