import { describe, expect, it } from 'vitest';
import { bucketStart, chunkNumber, ROLLUP_TIERS, TIER_ORDER } from './rollup-tiers';

describe('rollup tiers', () => {
  it("makes each tier's chunk the next tier's bucket (the commit script builds on it)", () => {
    for (let i = 0; i + 1 < TIER_ORDER.length; i++) expect(TIER_ORDER[i]!.chunkMs).toBe(TIER_ORDER[i + 1]!.bucketMs);
    for (const tier of TIER_ORDER) expect(tier.chunkMs % tier.bucketMs).toBe(0);
  });

  it('aligns buckets and chunks to UTC', () => {
    const at = Date.UTC(2026, 10, 25, 9, 34, 20);
    expect(new Date(bucketStart(ROLLUP_TIERS.day, at)).toISOString()).toBe('2026-11-25T00:00:00.000Z');
    expect(new Date(bucketStart(ROLLUP_TIERS.hour, at)).toISOString()).toBe('2026-11-25T09:00:00.000Z');
    expect(chunkNumber(ROLLUP_TIERS.minute, at)).toBe(Math.floor(at / 3_600_000));
    expect(chunkNumber(ROLLUP_TIERS.day, at)).toBe(Math.floor(at / 86_400_000 / 32));
  });
});
