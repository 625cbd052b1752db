import { describe, expect, it } from 'vitest';
import { BodyBudget, planBodyReservation, type BodyBudgetRefusal, type BodyReservation } from './body-budget';

const MiB = 1024 * 1024;
const LONG_WAIT = 60_000;

function granted(outcome: BodyReservation | BodyBudgetRefusal): BodyReservation {
  if (typeof outcome === 'string') throw new Error(`expected a reservation, got "${outcome}"`);
  return outcome;
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BodyBudget', () => {
  it('grants what fits at once and makes the rest wait until bytes are released', async () => {
    const budget = new BodyBudget(4 * MiB);
    const first = granted(await budget.reserve(2 * MiB, LONG_WAIT));
    const second = granted(await budget.reserve(2 * MiB, LONG_WAIT));
    expect(budget.reservedBytes).toBe(4 * MiB);

    let third: BodyReservation | BodyBudgetRefusal | undefined;
    void budget.reserve(2 * MiB, LONG_WAIT).then((outcome) => (third = outcome));
    await settle();
    expect(third).toBeUndefined();
    expect(budget.waiting).toBe(1);

    first.release();
    await settle();
    expect(granted(third!).bytes).toBe(2 * MiB);
    expect(budget.reservedBytes).toBe(4 * MiB);
    expect(budget.waiting).toBe(0);
    second.release();
    granted(third!).release();
    expect(budget.reservedBytes).toBe(0);
  });

  it('serves checks in the order they asked: a small one never overtakes a large one waiting before it', async () => {
    const budget = new BodyBudget(4 * MiB);
    const held = granted(await budget.reserve(3 * MiB, LONG_WAIT));
    const order: string[] = [];
    const large = budget.reserve(4 * MiB, LONG_WAIT).then((outcome) => (order.push('large'), granted(outcome)));
    // 1 MiB is free, but the large request asked first: the small one waits behind it.
    const small = budget.reserve(1 * MiB, LONG_WAIT).then((outcome) => (order.push('small'), granted(outcome)));
    await settle();
    expect(order).toEqual([]);

    held.release();
    (await large).release();
    (await small).release();
    expect(order).toEqual(['large', 'small']);
  });

  it('gives up on a check whose wait outlasts its deadline, and lets those behind it in', async () => {
    const budget = new BodyBudget(4 * MiB);
    const held = granted(await budget.reserve(3 * MiB, LONG_WAIT));
    const head = budget.reserve(4 * MiB, 50);
    let behind: BodyReservation | BodyBudgetRefusal | undefined;
    void budget.reserve(1 * MiB, LONG_WAIT).then((outcome) => (behind = outcome));

    expect(await head).toBe('deadline');
    await settle();
    // With the head gone, the 1 MiB left fits the next in line.
    expect(granted(behind!).bytes).toBe(1 * MiB);
    expect(budget.waiting).toBe(0);
    held.release();
  });

  it('refuses at once a check whose deadline has passed when the budget is full', async () => {
    const budget = new BodyBudget(1 * MiB);
    const held = granted(await budget.reserve(1 * MiB, LONG_WAIT));
    expect(await budget.reserve(1, 0)).toBe('deadline');
    expect(await budget.reserve(1, -5)).toBe('deadline');
    held.release();
    // A free budget grants even a late caller: being late is the caller's business, not the budget's.
    granted(await budget.reserve(1, 0)).release();
  });

  it('keeps a check waiting whose deadline is further away than a timer can count', async () => {
    const budget = new BodyBudget(1 * MiB);
    const held = granted(await budget.reserve(1 * MiB, LONG_WAIT));
    let outcome: BodyReservation | BodyBudgetRefusal | undefined;
    void budget.reserve(1 * MiB, 40 * 24 * 3_600_000).then((result) => (outcome = result));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outcome).toBeUndefined();
    held.release();
    await settle();
    granted(outcome!).release();
  });

  it('releases a reservation once however often it is released', async () => {
    const budget = new BodyBudget(2 * MiB);
    const one = granted(await budget.reserve(1 * MiB, LONG_WAIT));
    const two = granted(await budget.reserve(1 * MiB, LONG_WAIT));
    one.release();
    one.release();
    expect(budget.reservedBytes).toBe(1 * MiB);
    two.release();
    expect(budget.reservedBytes).toBe(0);
  });

  it('refuses waiting and later checks once stopped, keeping those already granted', async () => {
    const budget = new BodyBudget(1 * MiB);
    const held = granted(await budget.reserve(1 * MiB, LONG_WAIT));
    const waiting = budget.reserve(1 * MiB, LONG_WAIT);
    budget.stop();
    expect(await waiting).toBe('stopping');
    expect(await budget.reserve(1, LONG_WAIT)).toBe('stopping');
    expect(budget.reservedBytes).toBe(1 * MiB);
    held.release();
    expect(budget.reservedBytes).toBe(0);
  });

  it('rejects reservations it could never grant, and budgets that are not positive integers', () => {
    const budget = new BodyBudget(1 * MiB);
    expect(() => budget.reserve(1 * MiB + 1, LONG_WAIT)).toThrow(RangeError);
    expect(() => budget.reserve(-1, LONG_WAIT)).toThrow(RangeError);
    expect(() => budget.reserve(0.5, LONG_WAIT)).toThrow(RangeError);
    expect(() => new BodyBudget(0)).toThrow(RangeError);
    expect(() => new BodyBudget(Number.NaN)).toThrow(RangeError);
  });
});

describe('planBodyReservation', () => {
  const KiB = 1024;
  const off = { checkEach: false, max: 8 };
  const each = (max: number) => ({ checkEach: true, max });
  it.each([
    ['twice the cap for each of the two requests', { maxBodyBytes: 4 * MiB, cacheBypass: true, addresses: off }, 256 * MiB, { bytes: 16 * MiB, maxBodyBytes: 4 * MiB, requests: 2, addressRequests: 0 }],
    ['one request without the bypass', { maxBodyBytes: 4 * MiB, cacheBypass: false, addresses: off }, 256 * MiB, { bytes: 8 * MiB, maxBodyBytes: 4 * MiB, requests: 1, addressRequests: 0 }],
    [
      'no per-address requests for an IP literal, whatever addresses says',
      { maxBodyBytes: 4 * MiB, cacheBypass: false, addresses: { checkEach: true, max: 8 }, url: 'http://[::1]:8080/health' },
      256 * MiB,
      { bytes: 8 * MiB, maxBodyBytes: 4 * MiB, requests: 1, addressRequests: 0 },
    ],
    ['exactly the whole budget fits', { maxBodyBytes: 1 * MiB, cacheBypass: true, addresses: off }, 4 * MiB, { bytes: 4 * MiB, maxBodyBytes: 1 * MiB, requests: 2, addressRequests: 0 }],
    [
      'more than the whole budget: the cap becomes each request’s share',
      { maxBodyBytes: 16 * MiB, cacheBypass: true, addresses: off },
      10 * MiB + 3,
      { bytes: 10 * MiB, maxBodyBytes: 2.5 * MiB, requests: 2, addressRequests: 0, clampedFrom: 16 * MiB },
    ],
    [
      'more than the whole budget, one request',
      { maxBodyBytes: 16 * MiB, cacheBypass: false, addresses: off },
      4 * MiB,
      { bytes: 4 * MiB, maxBodyBytes: 2 * MiB, requests: 1, addressRequests: 0, clampedFrom: 16 * MiB },
    ],
    [
      'each of up to 8 addresses at the 64 KiB per-address cap, besides both requests',
      { maxBodyBytes: 1 * MiB, cacheBypass: true, addresses: each(8) },
      256 * MiB,
      { bytes: 2 * (2 * MiB + 8 * 64 * KiB), maxBodyBytes: 1 * MiB, requests: 2, addressRequests: 8 },
    ],
    [
      'a spec without `addresses`: the default, up to 8',
      { maxBodyBytes: 1 * MiB, cacheBypass: false },
      256 * MiB,
      { bytes: 2 * (1 * MiB + 8 * 64 * KiB), maxBodyBytes: 1 * MiB, requests: 1, addressRequests: 8 },
    ],
    [
      'a cap under 64 KiB is the per-address cap too',
      { maxBodyBytes: 16 * KiB, cacheBypass: false, addresses: each(2) },
      256 * MiB,
      { bytes: 2 * 3 * 16 * KiB, maxBodyBytes: 16 * KiB, requests: 1, addressRequests: 2 },
    ],
    [
      'more than the whole budget with addresses: they keep their 64 KiB, the requests share the rest',
      { maxBodyBytes: 16 * MiB, cacheBypass: true, addresses: each(8) },
      5 * MiB,
      { bytes: 5 * MiB, maxBodyBytes: 1 * MiB, requests: 2, addressRequests: 8, clampedFrom: 16 * MiB },
    ],
    [
      'a budget too small for that: one cap for all ten requests',
      { maxBodyBytes: 1 * MiB, cacheBypass: true, addresses: each(8) },
      512 * KiB,
      { bytes: 2 * 10 * 26_214, maxBodyBytes: 26_214, requests: 2, addressRequests: 8, clampedFrom: 1 * MiB },
    ],
  ])('%s', (_, spec, total, plan) => {
    const planned = planBodyReservation(spec, total);
    expect(planned).toEqual(plan);
    expect(planned.bytes).toBeLessThanOrEqual(total);
  });
});
