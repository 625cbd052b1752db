import { describe, expect, it } from 'vitest';
import { answersNeeded, downNeededForOutage, reconcilePolicySchema, type ReconcilePolicyInput } from './reconcile-policy';

const policy = (input: ReconcilePolicyInput = {}) => reconcilePolicySchema.parse(input);

describe('reconcilePolicySchema', () => {
  it('has safe defaults for nothing at all', () => {
    expect(reconcilePolicySchema.parse(undefined)).toEqual({ quorum: 0.5, minRegions: 1, outageQuorum: 0.5, lastModifiedSkewSeconds: 300 });
  });

  it.each([
    [{ quorum: 1.5 }, 'quorum'],
    [{ quorum: -0.1 }, 'quorum'],
    [{ minRegions: 0 }, 'minRegions'],
    [{ minRegions: 1.5 }, 'minRegions'],
    [{ outageQuorum: 2 }, 'outageQuorum'],
    [{ lastModifiedSkewSeconds: -1 }, 'lastModifiedSkewSeconds'],
    [{ lastModifiedSkewSeconds: 1.5 }, 'lastModifiedSkewSeconds'],
    [{ lastModifiedSkewSeconds: '300' }, 'lastModifiedSkewSeconds'],
    [{ threshold: 1 }, ''],
  ])('rejects %j', (input, path) => {
    const result = reconcilePolicySchema.safeParse(input);
    expect(result.success).toBe(false);
    if (path !== '') expect(result.error?.issues[0]?.path).toEqual([path]);
  });
});

describe('answersNeeded', () => {
  it.each([
    // [policy, expected regions, answers needed]
    [{}, 1, 1],
    [{}, 2, 1],
    [{}, 3, 2],
    [{}, 4, 2],
    [{}, 5, 3],
    [{ quorum: 1 }, 3, 3],
    [{ quorum: 0 }, 3, 1],
    [{ minRegions: 2 }, 2, 2],
    [{ minRegions: 2 }, 1, 1],
    [{ minRegions: 5 }, 3, 3],
    [{ quorum: 0.7 }, 10, 7],
    [{ quorum: 0.3 }, 10, 3],
    [{}, 0, 0],
  ] as Array<[ReconcilePolicyInput, number, number]>)('%j with %i regions needs %i answers', (input, expected, needed) => {
    expect(answersNeeded(policy(input), expected)).toBe(needed);
  });
});

describe('downNeededForOutage', () => {
  it.each([
    // [policy, answering regions, fresh downs needed]
    [{}, 1, 1],
    [{}, 2, 2],
    [{}, 3, 2],
    [{}, 4, 3],
    [{}, 5, 3],
    [{ outageQuorum: 1 }, 3, 3],
    [{ outageQuorum: 0 }, 3, 1],
    [{ outageQuorum: 0.6 }, 5, 4],
    [{ outageQuorum: 0.7 }, 10, 8],
    [{}, 0, 1],
  ] as Array<[ReconcilePolicyInput, number, number]>)('%j with %i answering needs %i down', (input, answering, needed) => {
    expect(downNeededForOutage(policy(input), answering)).toBe(needed);
  });
});
