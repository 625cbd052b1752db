import { describe, expect, it } from 'vitest';
import type { Cause } from '../verdict/verdict';
import type { Baseline, BaselineOptions } from './baseline';
import { baselineSchema } from './baseline';
import type { ContentFingerprint } from './content-fingerprint';
import type { ContentValidators } from './content-validators';
import { isLearnable, learnBaseline, type BaselineRound } from './learn-baseline';

const OPTIONS: BaselineOptions = { enabled: true, learnRounds: 3, relearnAfterRounds: 4, frozenAfterRounds: 3 };
const HEALTH: Omit<ContentFingerprint, 'validators'> = {
  mediaType: 'application/health+json',
  kind: 'health',
  healthDialect: 'ietf-health',
  dependencies: ['db', 'redis'],
  jsonKeys: ['checks', 'status'],
  sizeBand: 9,
  server: 'api',
};
const HTML: Omit<ContentFingerprint, 'validators'> = { mediaType: 'text/html', kind: 'html', htmlTitle: 'Shop', sizeBand: 12 };

function fp(validators: ContentValidators, shape: Omit<ContentFingerprint, 'validators'> = HEALTH): ContentFingerprint {
  return { ...shape, validators };
}

const cause = (code: Cause['code'], severity: Cause['severity']): Cause => ({ code, severity, message: code, evidence: {} });
const UP = { status: 'up' as const, causes: [] };
const DOWN = { status: 'down' as const, causes: [cause('health_failed', 'down')] };

function round(n: number, fingerprint: ContentFingerprint | undefined, verdict: BaselineRound['verdict'] = UP, specHash = 'spec-a'): BaselineRound {
  return { fingerprint, verdict, specHash, scheduledAt: n * 60_000 };
}

/** Feeds rounds in order, returning every intermediate baseline. */
function learn(rounds: BaselineRound[], start?: Baseline, options: BaselineOptions = OPTIONS): (Baseline | undefined)[] {
  const seen: (Baseline | undefined)[] = [];
  let baseline = start;
  for (const r of rounds) {
    baseline = learnBaseline(baseline, r, options);
    seen.push(baseline);
  }
  return seen;
}

const last = <T>(list: T[]): T => list[list.length - 1] as T;

describe('isLearnable', () => {
  it.each([
    ['no causes', [], true],
    ['info only', [cause('cached_response', 'info')], true],
    ['a degraded content change', [cause('content_changed', 'degraded')], true],
    ['a down content change', [cause('content_changed', 'down')], false],
    ['a degraded dependency', [cause('health_degraded', 'degraded')], false],
    ['slow', [cause('slow', 'degraded')], false],
    ['frozen content', [cause('stale_cache', 'degraded')], false],
    ['down', [cause('status_mismatch', 'down')], false],
  ] as [string, Cause[], boolean][])('%s: %s', (_name, causes, learnable) => {
    expect(isLearnable({ causes })).toBe(learnable);
  });
});

describe('learnBaseline', () => {
  it('learns the shape from healthy rounds and counts them', () => {
    const seen = learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'b' })), round(3, fp({ bodyHash: 'c' }))]);
    expect(seen.map((b) => b?.rounds)).toEqual([1, 2, 3]);
    const baseline = last(seen);
    expect(baseline?.fingerprint).toEqual(fp({ bodyHash: 'c' }));
    expect(baseline?.specHash).toBe('spec-a');
    expect(baseline?.last).toEqual({ validators: { bodyHash: 'c' }, unchangedRounds: 0, scheduledAt: 180_000 });
    expect(baselineSchema.safeParse(baseline).success).toBe(true);
  });

  it('never learns from unhealthy rounds, and does not start from one', () => {
    expect(learnBaseline(undefined, round(1, fp({}, HTML), DOWN), OPTIONS)).toBeUndefined();
    const seen = learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'x' }, HTML), DOWN), round(3, fp({ bodyHash: 'y' }, HTML), DOWN)]);
    const baseline = last(seen);
    expect(baseline?.rounds).toBe(1);
    expect(baseline?.fingerprint).toEqual(fp({ bodyHash: 'a' }));
    expect(baseline?.candidate).toBeUndefined();
    // `last` follows every answered round, healthy or not.
    expect(baseline?.last).toMatchObject({ validators: { bodyHash: 'y' }, scheduledAt: 180_000 });
  });

  it('changes nothing on a round without a response', () => {
    const [first] = learn([round(1, fp({ bodyHash: 'a' }))]);
    expect(learnBaseline(first, round(2, undefined, DOWN), OPTIONS)).toBe(first);
  });

  it('ignores rounds no newer than the latest one seen', () => {
    const seen = learn([round(5, fp({ bodyHash: 'a' })), round(6, fp({ bodyHash: 'b' }))]);
    const baseline = last(seen);
    expect(learnBaseline(baseline, round(6, fp({ bodyHash: 'z' })), OPTIONS)).toBe(baseline);
    expect(learnBaseline(baseline, round(3, fp({ bodyHash: 'z' }), DOWN), OPTIONS)).toBe(baseline);
  });

  it('starts over when the spec changes', () => {
    const learned = last(learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'b' })), round(3, fp({ bodyHash: 'c' }))]));
    const after = learnBaseline(learned, round(4, fp({ bodyHash: 'h' }, HTML), UP, 'spec-b'), OPTIONS);
    expect(after).toMatchObject({ specHash: 'spec-b', rounds: 1, fingerprint: fp({ bodyHash: 'h' }, HTML), validators: {} });
    expect(learnBaseline(learned, round(4, fp({}, HTML), DOWN, 'spec-b'), OPTIONS)).toBeUndefined();
  });

  it('tracks per validator how often it changed between healthy rounds', () => {
    const seen = learn([
      round(1, fp({ bodyHash: 'a', etag: '"1"', version: '1.0' })),
      round(2, fp({ bodyHash: 'b', etag: '"2"', version: '1.0' })),
      round(3, fp({ bodyHash: 'c', etag: '"2"', version: '1.0' })),
      round(4, fp({ bodyHash: 'd', version: '1.1' })),
      round(5, fp({ bodyHash: 'e', version: '1.1' }), DOWN), // not a healthy pair
      round(6, fp({ bodyHash: 'f', version: '1.1' })),
    ]);
    expect(last(seen)?.validators).toEqual({
      bodyHash: { pairs: 4, changes: 4 },
      etag: { pairs: 2, changes: 1 },
      version: { pairs: 4, changes: 1 },
    });
  });

  it('counts the rounds in a row whose validators did not change, healthy or not', () => {
    const seen = learn([
      round(1, fp({ bodyHash: 'a' })),
      round(2, fp({ bodyHash: 'b' })),
      round(3, fp({ bodyHash: 'b' })),
      round(4, fp({ bodyHash: 'b' }), { status: 'degraded', causes: [cause('stale_cache', 'degraded')] }),
      round(5, fp({ bodyHash: 'b' }), DOWN),
      round(6, fp({ bodyHash: 'c' })),
    ]);
    expect(seen.map((b) => b?.last.unchangedRounds)).toEqual([0, 0, 1, 2, 3, 0]);
    // The unhealthy repeats are not learned as healthy pairs.
    expect(last(seen)?.validators.bodyHash).toEqual({ pairs: 3, changes: 2 });
  });

  it('keeps the learned shape across small size changes (one band)', () => {
    const seen = learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'b' }, { ...HEALTH, sizeBand: 10 }))]);
    expect(last(seen)?.rounds).toBe(2);
    expect(last(seen)?.candidate).toBeUndefined();
  });

  it('while still learning, another shape starts learning anew', () => {
    const seen = learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'h' }, HTML))]);
    expect(last(seen)).toMatchObject({ rounds: 1, fingerprint: { kind: 'html' } });
  });

  it('adopts another shape after relearnAfterRounds consistent learnable rounds', () => {
    const learned = last(learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'b' })), round(3, fp({ bodyHash: 'c' }))]));
    const softChange = { status: 'degraded' as const, causes: [cause('content_changed', 'degraded')] };
    const seen = learn([4, 5, 6, 7].map((n) => round(n, fp({ bodyHash: `h${n}` }, HTML), softChange)), learned);
    expect(seen.map((b) => b?.candidate?.rounds)).toEqual([1, 2, 3, undefined]);
    expect(seen.slice(0, 3).every((b) => b?.fingerprint.kind === 'health')).toBe(true);
    expect(last(seen)).toMatchObject({ rounds: 4, fingerprint: { kind: 'html', htmlTitle: 'Shop' }, validators: {} });
  });

  it('drops the candidate when a round matches the baseline again', () => {
    const learned = last(learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'b' })), round(3, fp({ bodyHash: 'c' }))]));
    const seen = learn(
      [round(4, fp({ bodyHash: 'h' }, HTML)), round(5, fp({ bodyHash: 'i' }, HTML)), round(6, fp({ bodyHash: 'd' })), round(7, fp({ bodyHash: 'j' }, HTML))],
      learned,
    );
    expect(seen.map((b) => b?.candidate?.rounds)).toEqual([1, 2, undefined, 1]);
    expect(last(seen)).toMatchObject({ rounds: 4, fingerprint: { kind: 'health' } });
  });

  it('never adopts a change that made the round down', () => {
    const learned = last(learn([round(1, fp({ bodyHash: 'a' })), round(2, fp({ bodyHash: 'b' })), round(3, fp({ bodyHash: 'c' }))]));
    const hardChange = { status: 'down' as const, causes: [cause('content_changed', 'down')] };
    const seen = learn([4, 5, 6, 7, 8, 9].map((n) => round(n, fp({ bodyHash: `t${n}` }, { mediaType: 'text/plain', kind: 'text', sizeBand: 5 }), hardChange)), learned);
    expect(last(seen)).toMatchObject({ rounds: 3, fingerprint: { kind: 'health' } });
    expect(last(seen)?.candidate).toBeUndefined();
  });

  it('saturates the learned rounds', () => {
    let baseline: Baseline | undefined;
    for (let n = 1; n <= 1005; n++) baseline = learnBaseline(baseline, round(n, fp({ bodyHash: String(n) })), OPTIONS);
    expect(baseline?.rounds).toBe(1000);
    const history = baseline?.validators.bodyHash;
    expect(history?.pairs).toBeLessThanOrEqual(1000);
    expect(history?.changes).toBe(history?.pairs);
  });
});
