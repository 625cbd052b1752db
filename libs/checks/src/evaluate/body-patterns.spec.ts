import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { dfaHostileBody, dfaHostilePatterns } from '../bench/dfa-hostile';
import { observationOf, specOf } from '../testing/observation-fixtures';
import { evaluate } from './evaluate';
import { matchBodyPatterns } from './body-patterns';

const sources = ['(?i)error', '^<html>', 'ok$', '(?m)^second$', '\\bfoo\\b', '\\Bar\\B', 'a.c', '(?s)a.c', '[0-9]{3}-[0-9]{4}', 'é+', '\\pL\\d', '😀', '^$', '\\A\\z'];
const bodies = ['<html>ok', 'ERROR here', 'first\nsecond\nthird', 'a\nc', 'abc foo bar', 'call 555-1234 now', 'café', 'x9', '', 'foobar', 'smile 😀 now', '\ud83d alone'];

describe('matchBodyPatterns', () => {
  it.each(bodies)('matches %j exactly as each expression alone would', (body) => {
    const set = specOf({ expect: { body: { matches: sources } } }).bodyPatterns;
    const pass = set ? matchBodyPatterns(set, body) : undefined;
    expect(pass?.kind).toBe('matched');
    const indexes = pass?.kind === 'matched' ? pass.indexes : new Set<number>();
    sources.forEach((source, index) => expect(indexes.has(index), source).toBe(RE2JS.compile(source).test(body)));
  });

  it('gives up on expressions made against the body instead of running for seconds', () => {
    const set = specOf({ expect: { body: { matches: dfaHostilePatterns() } } }).bodyPatterns;
    expect(set && matchBodyPatterns(set, dfaHostileBody(256 * 1024)).kind).toBe('too_costly');
  });

  it('answers each body on its own, whatever the states kept from earlier ones', () => {
    const set = specOf({ expect: { body: { matches: ['x[0-9]+y'] } } }).bodyPatterns;
    if (!set) throw new Error('no set');
    expect(matchBodyPatterns(set, 'a x12y b')).toEqual({ kind: 'matched', indexes: new Set([0]) });
    expect(matchBodyPatterns(set, 'nothing')).toEqual({ kind: 'matched', indexes: new Set() });
  });
});

describe('evaluate with body expressions too costly for the body', () => {
  it('does not pass them silently: not evaluated, and the verdict degraded with the reason', () => {
    const verdict = evaluate(specOf({ expect: { body: { matches: dfaHostilePatterns() } } }), observationOf({ body: dfaHostileBody(256 * 1024), headers: { 'content-type': 'text/plain' } }));
    expect(verdict.status).toBe('degraded');
    expect(verdict.causes).toContainEqual(expect.objectContaining({ code: 'body_mismatch', severity: 'degraded', message: expect.stringMatching(/not evaluated/) }));
    expect(verdict.expectations.filter((e) => e.kind === 'body.matches').every((e) => e.passed === null)).toBe(true);
  });
});
