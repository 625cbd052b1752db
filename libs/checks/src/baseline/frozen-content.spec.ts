import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate';
import type { Observation } from '../observation/observation';
import { startHttpServer, type TestServer } from '../probe/__fixtures__/test-servers';
import { probe } from '../probe/probe';
import { compileMonitorSpec } from '../spec/compile-monitor-spec';
import { bypassOf, observationOf, specOf, TEST_NOW, type ObservationInput } from '../testing/observation-fixtures';
import type { Baseline } from './baseline';
import { learnFrom, specHashOfCompiled } from '../testing/learned-baseline';
import { learnBaseline } from './learn-baseline';
import { FALSE_FREEZE_PER_ROUND, requiredFrozenRounds } from './frozen-content';
import { evaluateWithFingerprint } from '../evaluate/evaluate';

const spec = specOf();
const JSON_TYPE = { 'content-type': 'application/json' };
const LIVE = 40;

/** A health document that changes every round (its clock and an ETag advance), as live content does. */
function live(n: number, headers: Record<string, string> = {}): ObservationInput {
  return { headers: { ...JSON_TYPE, etag: `"v${n}"`, ...headers }, body: JSON.stringify({ status: 'ok', time: TEST_NOW + n * 60_000 }) };
}

/**
 * `liveRounds` advancing rounds (40 unless told: 39 changes in 39 healthy pairs, which makes 4
 * rounds of repeats frozen), then `frozen` rounds repeating the last: the baseline before the next round.
 */
function frozenAfter(frozen: number, make: (n: number) => ObservationInput = live, liveRounds = LIVE): Baseline {
  const rounds = [...Array.from({ length: liveRounds }, (_, i) => make(i + 1)), ...Array.from({ length: frozen }, () => make(liveRounds))];
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
    const input = live(LIVE);
    const { verdict, cause } = frozenCause(observationOf({ ...input, bypass: bypassOf(input) }), frozenAfter(3));
    expect(verdict.status).toBe('down');
    expect(cause).toMatchObject({
      severity: 'down',
      evidence: { frozen: true, frozenRounds: 4, requiredRounds: 4, validators: ['bodyHash', 'etag'], bypassSameBody: true, advancedRounds: 39, healthyRounds: 39 },
    });
    expect(cause?.evidence['values']).toContain('etag: "v40"');
    expect(cause?.message).toBe(
      'content frozen for 4 rounds: the body hash and ETag advanced on 39 of 39 healthy rounds and stopped (live content repeats 4 rounds in a row less than once in a million rounds); the cache-bypassing request got the same copy, so a cache is answering for the origin',
    );
  });

  it('is called as soon as the repeats the learned rate requires are reached, not before', () => {
    const input = live(LIVE);
    const observation = observationOf({ ...input, bypass: bypassOf(input) });
    expect(frozenCause(observation, frozenAfter(2)).cause).toBeUndefined();
    expect(frozenCause(observation, frozenAfter(3)).cause).toMatchObject({ severity: 'down', evidence: { frozenRounds: 4, requiredRounds: 4 } });
  });

  it('asks a shorter history for more repeats: 9 changes in 9 healthy pairs need 6 rounds', () => {
    const input = live(10);
    const observation = observationOf({ ...input, bypass: bypassOf(input) });
    expect(frozenCause(observation, frozenAfter(4, live, 10)).cause).toBeUndefined();
    expect(frozenCause(observation, frozenAfter(5, live, 10)).cause).toMatchObject({ evidence: { frozenRounds: 6, requiredRounds: 6, healthyRounds: 9 } });
  });

  it('never asks fewer than frozenAfterRounds', () => {
    const strict = specOf({ baseline: { frozenAfterRounds: 6 } });
    const input = live(LIVE);
    const observation = observationOf({ ...input, bypass: bypassOf(input) });
    const rounds = [...Array.from({ length: LIVE }, (_, i) => live(i + 1)), ...Array.from({ length: 4 }, () => live(LIVE))];
    const learned = learnFrom(strict, rounds.map((round) => observationOf(round)));
    expect(learned && frozenCause(observation, learned, strict).cause).toBeUndefined();
    const longer = learnFrom(strict, [observationOf(live(LIVE))], learned, LIVE + 5);
    expect(longer && frozenCause(observation, longer, strict).cause).toMatchObject({ evidence: { frozenRounds: 6, requiredRounds: 6 } });
  });

  it('is down without a bypass when a header shows a cache or proxy in the path', () => {
    const { cause } = frozenCause(observationOf(live(LIVE, { via: '1.1 varnish' })), frozenAfter(3, (n) => live(n, { via: '1.1 varnish' })));
    expect(cause).toMatchObject({ severity: 'down', evidence: { intermediary: true, signals: ['via: 1.1 varnish'] } });
    expect(cause?.message).toContain('through a cache or proxy (via: 1.1 varnish)');
  });

  it('is degraded with no bypass and no cache evidence', () => {
    const { verdict, cause } = frozenCause(observationOf(live(LIVE)), frozenAfter(3));
    expect(verdict.status).toBe('degraded');
    expect(cause).toMatchObject({ severity: 'degraded', evidence: { bypassSameBody: null, cacheHit: false, intermediary: false } });
    expect(cause?.message).toContain('no cache-bypassing request was made');
  });

  it('is degraded when the bypass got a fresh copy: the origin is live, something in front serves an old one', () => {
    const { cause } = frozenCause(observationOf({ ...live(LIVE), bypass: bypassOf(live(LIVE + 1)) }), frozenAfter(3));
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

  it('is not called on content of another shape that stopped changing (a deploy dropped the clock): that shape is adopted instead', () => {
    const deployed = (): ObservationInput => ({ headers: JSON_TYPE, body: JSON.stringify({ status: 'ok' }) });
    const rounds = [...Array.from({ length: LIVE }, (_, i) => live(i + 1)), ...Array.from({ length: 12 }, deployed)];
    let baseline: Baseline | undefined;
    const calls: string[] = [];
    rounds.forEach((input, index) => {
      const observation = observationOf({ ...input, bypass: bypassOf(input) });
      const { verdict } = frozenCause(observation, baseline ?? frozenAfter(0));
      calls.push(...verdict.causes.filter((c) => c.code === 'stale_cache').map(() => `round ${index + 1}`));
      baseline = learnFrom(spec, [observation], baseline, index + 1);
    });
    expect(calls).toEqual([]);
    // After relearnAfterRounds (10) rounds of the new shape, it is the baseline, learned afresh.
    expect(baseline?.fingerprint.jsonKeys).toEqual(['status']);
    expect(baseline?.validators.bodyHash?.changes ?? 0).toBe(0);
  });

  it('keeps the frozen rounds out of what is learned, so the freeze does not hide itself', () => {
    const input = live(LIVE);
    const observation = observationOf({ ...input, bypass: bypassOf(input) });
    const later = learnFrom(spec, Array.from({ length: 10 }, () => observation), frozenAfter(3), LIVE + 4);
    expect(frozenCause(observation, later ?? frozenAfter(3)).cause).toMatchObject({ severity: 'down', evidence: { frozenRounds: 14, healthyRounds: 39 } });
  });
});

describe('requiredFrozenRounds: repeats rarer than one in a million rounds by chance', () => {
  it.each([
    ['9 changes in 9 pairs', { pairs: 9, changes: 9 }, 3, 6],
    ['39 in 39', { pairs: 39, changes: 39 }, 3, 4],
    ['999 in 999: the floor', { pairs: 999, changes: 999 }, 3, 3],
    ['999 in 999 under a higher floor', { pairs: 999, changes: 999 }, 5, 5],
    ['80 in 100: content that repeats now and then', { pairs: 100, changes: 80 }, 3, 9],
    ['3 in 3: the least history that counts', { pairs: 3, changes: 3 }, 3, 10],
  ])('%s', (_name, history, floor, rounds) => {
    expect(requiredFrozenRounds(history, floor)).toBe(rounds);
    // The rate as estimated, repeated that many rounds, is under the bound; one round fewer is not (unless the floor decides).
    const repeat = (history.pairs - history.changes + 1) / (history.pairs + 1);
    expect(repeat ** rounds).toBeLessThanOrEqual(FALSE_FREEZE_PER_ROUND * (1 + 1e-9));
    if (rounds > floor) expect(repeat ** (rounds - 1)).toBeGreaterThan(FALSE_FREEZE_PER_ROUND);
  });
});

describe('frozen content behind a cache that shares copies at random', () => {
  /** A generator of the same numbers on every run (mulberry32). */
  function seeded(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
  }

  it('never takes live content that advances on 85 % of rounds for frozen, where a fixed 3 rounds would, often', () => {
    // Behind a pool of caches, a round sometimes meets the copy the last round met: live content that repeats by chance.
    const random = seeded(13);
    const specHash = specHashOfCompiled(spec);
    let baseline: Baseline | undefined;
    let version = 0;
    let frozenCalls = 0;
    let fixedRuleCalls = 0;
    const ROUNDS = 20_000;
    for (let round = 1; round <= ROUNDS; round++) {
      if (random() < 0.85) version += 1;
      const input = live(version);
      const observation = observationOf({ ...input, bypass: bypassOf(input) });
      const { verdict, fingerprint } = evaluateWithFingerprint(spec, observation, baseline ? { baseline } : {});
      if (verdict.causes.some((c) => c.code === 'stale_cache')) frozenCalls += 1;
      // What a fixed rule would call: 3 rounds of repeats (this one included) of a body that changed on 80 % of its healthy pairs.
      const history = baseline?.validators.bodyHash;
      const repeats = baseline && baseline.last.validators.bodyHash === fingerprint?.validators.bodyHash ? baseline.last.unchangedRounds + 1 : 0;
      if (history && repeats >= 3 && history.changes >= 0.8 * (history.pairs - Math.min(repeats - 1, history.pairs - history.changes))) fixedRuleCalls += 1;
      baseline = learnBaseline(baseline, { fingerprint, verdict, specHash, scheduledAt: round * 60_000 }, spec.baseline);
    }
    expect(baseline?.validators.bodyHash?.changes ?? 0).toBeGreaterThan(0.8 * (baseline?.validators.bodyHash?.pairs ?? 0));
    expect(frozenCalls).toBe(0);
    // 0.15^3 of 20,000 rounds: about 67 false calls.
    expect(fixedRuleCalls).toBeGreaterThan(20);
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

    for (let i = 0; i < 20; i++) expect((await next()).status).toBe('up');
    stored.body = JSON.stringify({ status: 'ok', served: 'stuck' });
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await next());
    // The first frozen round still differs from the last live one; 19 changes in 19 healthy pairs ask for 5 repeats.
    expect(verdicts.map((v) => v.status)).toEqual(['up', 'up', 'up', 'up', 'up', 'down']);
    const cause = verdicts[5]?.causes.find((c) => c.code === 'stale_cache');
    expect(cause).toMatchObject({ severity: 'down', evidence: { frozen: true, validators: ['bodyHash', 'etag'], bypassSameBody: true, frozenRounds: 5, requiredRounds: 5 } });
    expect(cause?.message).toContain('the cache-bypassing request got the same copy');
    expect(verdicts[5]?.evidence.content?.bodyHash).toMatch(/^[0-9a-f]{13}$/);
  });
});
