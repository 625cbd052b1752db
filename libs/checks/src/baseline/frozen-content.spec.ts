import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate';
import type { Observation } from '../observation/observation';
import { startHttpServer, type TestServer } from '../probe/__fixtures__/test-servers';
import { probe } from '../probe/probe';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import { bypassOf, observationOf, specOf, TEST_NOW, type ObservationInput } from '../testing/observation-fixtures';
import type { Baseline } from './baseline';
import { learnFrom } from './__fixtures__/learned-baseline';

const spec = specOf();
const JSON_TYPE = { 'content-type': 'application/json' };

/** A health document that changes every round (its clock and an ETag advance), as live content does. */
function live(n: number, headers: Record<string, string> = {}): ObservationInput {
  return { headers: { ...JSON_TYPE, etag: `"v${n}"`, ...headers }, body: JSON.stringify({ status: 'ok', time: TEST_NOW + n * 60_000 }) };
}

/** Ten advancing rounds, then `frozen` rounds repeating the tenth: the baseline before the next round. */
function frozenAfter(frozen: number, make: (n: number) => ObservationInput = live): Baseline {
  const rounds = [...Array.from({ length: 10 }, (_, i) => make(i + 1)), ...Array.from({ length: frozen }, () => make(10))];
  const baseline = learnFrom(spec, rounds.map((input) => observationOf(input)));
  if (!baseline) throw new Error('no baseline learned');
  return baseline;
}

function frozenCause(observation: Observation, baseline: Baseline, compiled = spec) {
  const verdict = evaluate(compiled, observation, { baseline });
  return { verdict, cause: verdict.causes.find((c) => c.code === 'stale_cache' && c.evidence['frozen'] === true) };
}

describe('frozen content', () => {
  it('is down when the bypass got the same copy of content that used to advance every round', () => {
    const input = live(10);
    const { verdict, cause } = frozenCause(observationOf({ ...input, bypass: bypassOf(input) }), frozenAfter(3));
    expect(verdict.status).toBe('down');
    expect(cause).toMatchObject({
      severity: 'down',
      evidence: { frozen: true, frozenRounds: 4, validators: ['bodyHash', 'etag'], bypassSameBody: true, advancedRounds: 9, healthyRounds: 9 },
    });
    expect(cause?.evidence['values']).toContain('etag: "v10"');
    expect(cause?.message).toBe(
      'content frozen for 4 rounds: the body hash and ETag advanced on 9 of 9 healthy rounds and stopped; the cache-bypassing request got the same copy, so a cache is answering for the origin',
    );
  });

  it('is called as soon as frozenAfterRounds rounds repeat, not before', () => {
    const input = live(10);
    const observation = observationOf({ ...input, bypass: bypassOf(input) });
    expect(frozenCause(observation, frozenAfter(1)).cause).toBeUndefined();
    expect(frozenCause(observation, frozenAfter(2)).cause).toMatchObject({ severity: 'down', evidence: { frozenRounds: 3 } });
  });

  it('is down without a bypass when a header shows a cache or proxy in the path', () => {
    const { cause } = frozenCause(observationOf(live(10, { via: '1.1 varnish' })), frozenAfter(3, (n) => live(n, { via: '1.1 varnish' })));
    expect(cause).toMatchObject({ severity: 'down', evidence: { intermediary: true, signals: ['via: 1.1 varnish'] } });
    expect(cause?.message).toContain('through a cache or proxy (via: 1.1 varnish)');
  });

  it('is degraded with no bypass and no cache evidence', () => {
    const { verdict, cause } = frozenCause(observationOf(live(10)), frozenAfter(3));
    expect(verdict.status).toBe('degraded');
    expect(cause).toMatchObject({ severity: 'degraded', evidence: { bypassSameBody: null, cacheHit: false, intermediary: false } });
    expect(cause?.message).toContain('no cache-bypassing request was made');
  });

  it('is degraded when the bypass got a fresh copy: the origin is live, something in front serves an old one', () => {
    const { cause } = frozenCause(observationOf({ ...live(10), bypass: bypassOf(live(11)) }), frozenAfter(3));
    expect(cause).toMatchObject({ severity: 'degraded', evidence: { bypassSameBody: false } });
  });

  it('says nothing of a validator that never advanced', () => {
    const still = (): ObservationInput => ({ headers: { ...JSON_TYPE, etag: '"same"' }, body: '{"status":"ok"}' });
    const input = still();
    const { verdict, cause } = frozenCause(observationOf({ ...input, bypass: bypassOf(input) }), frozenAfter(5, still));
    expect(cause).toBeUndefined();
    expect(verdict.status).toBe('up');
  });

  it('says nothing of a version that stays put: a version is not a per-round validator', () => {
    const versioned = (n: number): ObservationInput => ({ headers: JSON_TYPE, body: JSON.stringify({ status: 'ok', version: n <= 5 ? '1.0' : '1.1' }) });
    expect(frozenCause(observationOf(versioned(10)), frozenAfter(4, versioned)).cause).toBeUndefined();
  });

  it('says nothing before learnRounds healthy rounds are learned', () => {
    const patient = specOf({ baseline: { learnRounds: 50 } });
    const rounds = [...Array.from({ length: 10 }, (_, i) => live(i + 1)), live(10), live(10), live(10)];
    const baseline = learnFrom(patient, rounds.map((input) => observationOf(input)));
    if (!baseline) throw new Error('no baseline learned');
    const input = live(10);
    expect(frozenCause(observationOf({ ...input, bypass: bypassOf(input) }), baseline, patient).cause).toBeUndefined();
  });

  it('keeps the frozen rounds out of what is learned, so the freeze does not hide itself', () => {
    const input = live(10);
    const observation = observationOf({ ...input, bypass: bypassOf(input) });
    const later = learnFrom(spec, Array.from({ length: 10 }, () => observation), frozenAfter(3), 14);
    expect(frozenCause(observation, later ?? frozenAfter(3)).cause).toMatchObject({ severity: 'down', evidence: { frozenRounds: 14 } });
  });
});

describe('frozen content over real HTTP', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('a cache keyed on the path only, with no cache header: live content, then a frozen copy to both requests', async () => {
    let served = 0;
    const stored: { body?: string } = {};
    const server = await startHttpServer('127.0.0.5', (_req, res) => {
      // The query string (the bypass parameter) is ignored, as a path-keyed cache does.
      served += 1;
      // What it stored, headers and all: the body and its ETag stop together.
      res.writeHead(200, { 'content-type': 'application/json', etag: stored.body !== undefined ? '"stored"' : `"${served}"` });
      res.end(stored.body ?? JSON.stringify({ status: 'ok', served }));
    });
    servers.push(server);
    const monitor = compileMonitorSpec({ url: `${server.origin}/health` });
    expect(monitor.cacheBypass).toBe(true);

    let baseline: Baseline | undefined;
    let round = 0;
    const next = async (): Promise<ReturnType<typeof evaluate>> => {
      round += 1;
      const observation = await probe(monitor, { now: () => TEST_NOW + round * 60_000 });
      const verdict = evaluate(monitor, observation, baseline ? { baseline } : {});
      baseline = learnFrom(monitor, [observation], baseline, round);
      return verdict;
    };

    for (let i = 0; i < 8; i++) expect((await next()).status).toBe('up');
    stored.body = JSON.stringify({ status: 'ok', served: 'stuck' });
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await next());
    // The first frozen round still differs from the last live one; the third repeat is the third frozen round.
    expect(verdicts.map((v) => v.status)).toEqual(['up', 'up', 'up', 'down']);
    const cause = verdicts[3]?.causes.find((c) => c.code === 'stale_cache');
    expect(cause).toMatchObject({ severity: 'down', evidence: { frozen: true, validators: ['bodyHash', 'etag'], bypassSameBody: true, frozenRounds: 3 } });
    expect(cause?.message).toContain('the cache-bypassing request got the same copy');
    expect(verdicts[3]?.evidence.content?.bodyHash).toMatch(/^[0-9a-f]{13}$/);
  });
});
