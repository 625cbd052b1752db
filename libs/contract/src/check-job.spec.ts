import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJobSchema, parseCheckJob, type CheckJob } from './check-job';
import { CONTRACT_VERSION } from './contract-version';

const good: CheckJob = {
  v: CONTRACT_VERSION,
  monitorId: 'mon_aaaaaaaaaaaaaaaaaaaa',
  roundId: 'mon_aaaaaaaaaaaaaaaaaaaa-1764000000000',
  region: 'eu-west',
  scheduledAt: 1_764_000_000_000,
  deadline: 1_764_000_040_000,
  spec: { url: 'https://example.test/health', expect: { status: [200] } },
  previous: { etag: '"abc"', lastModified: 'Mon, 01 Dec 2025 00:00:00 GMT' },
  baseline: null,
};

/** Values near each field's bounds, of the right type and of others. */
const fieldValue = fc.oneof(
  fc.constantFrom<unknown>(
    1, CONTRACT_VERSION, CONTRACT_VERSION + 1, '1', '2', 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 53 - 1, null, undefined, true,
    '', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'eu-west', 'EU', '-eu', 'a'.repeat(32), 'a'.repeat(33),
    [], {}, { etag: 'x' }, { etag: 'x'.repeat(1025) }, { lastModified: 'x'.repeat(257) }, { etag: 1 }, { other: 'x' }, { etag: undefined },
    Object.create(null) as object, new Date(0), ['a'], JSON.parse('{"__proto__": {"x": 1}}') as object,
  ),
  fc.jsonValue(),
);
const fields = Object.keys(good) as (keyof CheckJob)[];

/** A good job with some fields replaced, removed or added. */
const mutatedJob = fc
  .record({
    replace: fc.array(fc.tuple(fc.constantFrom(...fields), fieldValue), { maxLength: 3 }),
    remove: fc.array(fc.constantFrom(...fields), { maxLength: 2 }),
    extra: fc.option(fc.tuple(fc.string({ maxLength: 8 }), fieldValue), { nil: undefined }),
  })
  .map(({ replace, remove, extra }) => {
    const replaced: Record<string, unknown> = structuredClone(good);
    for (const [key, value] of replace) replaced[key] = value;
    const job = Object.fromEntries(Object.entries(replaced).filter(([key]) => !remove.includes(key as keyof CheckJob)));
    if (extra) job[extra[0]] = extra[1];
    return job;
  });

describe('parseCheckJob', () => {
  it('accepts a well-formed job, as the schema does', () => {
    const parsed = parseCheckJob(good);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(checkJobSchema.parse(good));
  });

  it('agrees with checkJobSchema on every job, well-formed or not, and returns what it returns', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedJob, fc.anything()), (candidate) => {
        const fast = parseCheckJob(candidate);
        const schema = checkJobSchema.safeParse(candidate);
        expect(fast.success).toBe(schema.success);
        if (schema.success) expect(fast.data).toEqual(schema.data);
        else expect(fast.error?.issues).toEqual(schema.error.issues);
      }),
      { numRuns: 5_000 },
    );
  });

  it('names what is wrong, as the schema does', () => {
    const parsed = parseCheckJob({ ...good, deadline: -1, extra: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(expect.arrayContaining(['deadline']));
  });
});
