import { HttpException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { etagOf, ifMatchAllows, parseIfMatch, preconditionFailed } from './if-match';

describe('If-Match', () => {
  it('is absent without the header', () => {
    expect(parseIfMatch(undefined)).toBeNull();
    expect(ifMatchAllows(null, 7)).toBe(true);
  });

  const cases: { header: string | string[]; matches: number[]; misses: number[] }[] = [
    { header: '"3"', matches: [3], misses: [2, 4] },
    { header: '*', matches: [1, 99], misses: [] },
    { header: ' * ', matches: [1], misses: [] },
    { header: '"3", "5"', matches: [3, 5], misses: [4] },
    { header: '"3",,"5" ,', matches: [3, 5], misses: [4] },
    { header: ['"3"', '"6"'], matches: [3, 6], misses: [4] },
    // If-Match compares strongly: a weak tag never matches.
    { header: 'W/"3"', matches: [], misses: [3] },
    { header: 'W/"3", "4"', matches: [4], misses: [3] },
    // Valid entity tags that are no revision of ours: nothing matches.
    { header: '"abc"', matches: [], misses: [1] },
    { header: '"03"', matches: [], misses: [3] },
    { header: '""', matches: [], misses: [1] },
  ];

  it.each(cases)('$header matches $matches', ({ header, matches, misses }) => {
    const condition = parseIfMatch(header);
    for (const revision of matches) expect(ifMatchAllows(condition, revision)).toBe(true);
    for (const revision of misses) expect(ifMatchAllows(condition, revision)).toBe(false);
  });

  it.each(['3', '"3', '3"', 'W/3', '"3" "4"', '"3", *', '*, "3"', '', ' , ', 'w/"3"', '"a"b"'])('%j is malformed: a 400 naming If-Match', (header) => {
    let thrown: unknown;
    try {
      parseIfMatch(header);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpException);
    const exception = thrown as HttpException;
    expect(exception.getStatus()).toBe(400);
    expect(exception.getResponse()).toMatchObject({ issues: [{ path: 'If-Match' }] });
  });

  it('a stale one is a 412 naming both revisions', () => {
    const exception = preconditionFailed('monitor mon_x', 4, parseIfMatch('"3"')!);
    expect(exception.getStatus()).toBe(412);
    expect(exception.getResponse()).toMatchObject({
      statusCode: 412,
      message: 'monitor mon_x is at revision 4, not 3 (If-Match): it changed since you read it',
      currentRevision: 4,
    });
    expect((preconditionFailed('webhook wh_y', 2, parseIfMatch('W/"2"')!).getResponse() as { message: string }).message).toContain('not W/"2"');
  });

  it('tags revisions as strong ETags', () => {
    expect(etagOf(12)).toBe('"12"');
  });
});
