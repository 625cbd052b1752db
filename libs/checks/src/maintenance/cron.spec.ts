import { describe, expect, it } from 'vitest';
import { cronStarts, InvalidCronError, parseCron } from './cron';

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const at = (text: string) => Date.parse(text);

describe('cronStarts', () => {
  const cases: { cron: string; from: string; to: string; limit?: number; starts: string[] }[] = [
    { cron: '0 2 * * *', from: '2026-11-01T00:00:00Z', to: '2026-11-03T12:00:00Z', starts: ['2026-11-01T02:00Z', '2026-11-02T02:00Z', '2026-11-03T02:00Z'] },
    { cron: '*/20 3 * * *', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', starts: ['2026-11-01T03:00Z', '2026-11-01T03:20Z', '2026-11-01T03:40Z'] },
    { cron: '30 1 * * SUN', from: '2026-11-01T00:00:00Z', to: '2026-11-16T00:00:00Z', starts: ['2026-11-01T01:30Z', '2026-11-08T01:30Z', '2026-11-15T01:30Z'] },
    { cron: '0 0 * * 7', from: '2026-11-01T00:00:00Z', to: '2026-11-09T00:00:00Z', starts: ['2026-11-01T00:00Z', '2026-11-08T00:00Z'] },
    { cron: '0 4 1,15 * *', from: '2026-11-01T00:00:00Z', to: '2026-12-02T00:00:00Z', starts: ['2026-11-01T04:00Z', '2026-11-15T04:00Z', '2026-12-01T04:00Z'] },
    // Both day fields restricted: either matches (Vixie cron).
    { cron: '0 0 13 * FRI', from: '2026-11-01T00:00:00Z', to: '2026-11-21T00:00:00Z', starts: ['2026-11-06T00:00Z', '2026-11-13T00:00Z', '2026-11-20T00:00Z'] },
    { cron: '0 22 * * MON-FRI', from: '2026-11-06T00:00:00Z', to: '2026-11-10T00:00:00Z', starts: ['2026-11-06T22:00Z', '2026-11-09T22:00Z'] },
    { cron: '15 10 * JAN,jul *', from: '2026-06-30T00:00:00Z', to: '2026-07-03T00:00:00Z', starts: ['2026-07-01T10:15Z', '2026-07-02T10:15Z'] },
    { cron: '5-10/5 * * * *', from: '2026-11-01T00:00:00Z', to: '2026-11-01T01:08:00Z', starts: ['2026-11-01T00:05Z', '2026-11-01T00:10Z', '2026-11-01T01:05Z'] },
    { cron: '* * * * *', from: '2026-11-01T00:00:30Z', to: '2026-11-01T00:03:00Z', starts: ['2026-11-01T00:01Z', '2026-11-01T00:02Z'] },
    { cron: '0 0 29 2 *', from: '2026-01-01T00:00:00Z', to: '2028-12-31T00:00:00Z', starts: ['2028-02-29T00:00Z'] },
    { cron: '* * * * *', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z', limit: 3, starts: ['2026-11-01T00:00Z', '2026-11-01T00:01Z', '2026-11-01T00:02Z'] },
  ];
  it.each(cases)('$cron in [$from, $to)', ({ cron, from, to, limit, starts }) => {
    expect(cronStarts(parseCron(cron), at(from), at(to), limit ?? 100).map(iso)).toEqual(starts);
  });

  it('is bounded in days scanned', () => {
    expect(cronStarts(parseCron('0 0 30 2 *'), 0, Date.UTC(2100, 0, 1), 10, 5_000)).toEqual([]);
  });
});

describe('parseCron', () => {
  const bad: [string, RegExp][] = [
    ['* * * *', /5 fields/],
    ['60 * * * *', /minute 60/],
    ['* 24 * * *', /hour 24/],
    ['* * 0 * *', /day-of-month 0/],
    ['* * * 13 *', /month 13/],
    ['* * * * 8', /day-of-week 8/],
    ['5-1 * * * *', /backwards/],
    ['*/0 * * * *', /step 0/],
    ['a * * * *', /must be a number/],
    ['1/2/3 * * * *', /not a value/],
  ];
  it.each(bad)('refuses %j', (cron, message) => {
    expect(() => parseCron(cron)).toThrow(InvalidCronError);
    expect(() => parseCron(cron)).toThrow(message);
  });
});
