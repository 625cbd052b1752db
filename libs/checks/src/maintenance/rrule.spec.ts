import { describe, expect, it } from 'vitest';
import { InvalidRruleError, parseRrule, rruleStarts } from './rrule';

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const at = (text: string) => Date.parse(text);

describe('rruleStarts', () => {
  const cases: { rule: string; dtstart: string; from: string; to: string; limit?: number; starts: string[] }[] = [
    {
      rule: 'FREQ=DAILY',
      dtstart: '2026-11-01T02:00:00Z',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-04T00:00:00Z',
      starts: ['2026-11-01T02:00Z', '2026-11-02T02:00Z', '2026-11-03T02:00Z'],
    },
    {
      rule: 'FREQ=DAILY;INTERVAL=2;BYHOUR=1,13;BYMINUTE=30',
      dtstart: '2026-11-01T00:00:00Z',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-04T00:00:00Z',
      starts: ['2026-11-01T01:30Z', '2026-11-01T13:30Z', '2026-11-03T01:30Z', '2026-11-03T13:30Z'],
    },
    {
      rule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0',
      dtstart: '2026-11-04T00:00:00Z', // a Wednesday
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-23T00:00:00Z',
      starts: ['2026-11-08T02:00Z', '2026-11-15T02:00Z', '2026-11-22T02:00Z'],
    },
    {
      rule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR',
      dtstart: '2026-11-02T09:00:00Z', // a Monday
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-30T00:00:00Z',
      starts: ['2026-11-02T09:00Z', '2026-11-06T09:00Z', '2026-11-16T09:00Z', '2026-11-20T09:00Z'],
    },
    {
      rule: 'FREQ=WEEKLY',
      dtstart: '2026-11-03T22:15:00Z',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-18T00:00:00Z',
      starts: ['2026-11-03T22:15Z', '2026-11-10T22:15Z', '2026-11-17T22:15Z'],
    },
    {
      rule: 'FREQ=MONTHLY;BYMONTHDAY=1,-1;BYHOUR=3',
      dtstart: '2026-01-15T00:00:00Z',
      from: '2026-01-01T00:00:00Z',
      to: '2026-03-02T00:00:00Z',
      starts: ['2026-01-31T03:00Z', '2026-02-01T03:00Z', '2026-02-28T03:00Z', '2026-03-01T03:00Z'],
    },
    {
      rule: 'FREQ=MONTHLY',
      dtstart: '2026-01-31T04:00:00Z',
      from: '2026-01-01T00:00:00Z',
      to: '2026-06-01T00:00:00Z',
      // Months without a 31st have no occurrence (RFC 5545: invalid dates are skipped).
      starts: ['2026-01-31T04:00Z', '2026-03-31T04:00Z', '2026-05-31T04:00Z'],
    },
    {
      rule: 'FREQ=DAILY;COUNT=3',
      dtstart: '2026-11-01T02:00:00Z',
      from: '2026-11-02T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      starts: ['2026-11-02T02:00Z', '2026-11-03T02:00Z'],
    },
    {
      rule: 'FREQ=DAILY;UNTIL=20261103T020000Z',
      dtstart: '2026-11-01T02:00:00Z',
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      starts: ['2026-11-01T02:00Z', '2026-11-02T02:00Z', '2026-11-03T02:00Z'],
    },
    {
      rule: 'FREQ=DAILY',
      dtstart: '2020-01-01T02:00:00Z',
      from: '2026-11-01T03:00:00Z',
      to: '2026-11-03T00:00:00Z',
      // Years after dtstart: jumps to the period, no scan from 2020.
      starts: ['2026-11-02T02:00Z'],
    },
    {
      rule: 'FREQ=DAILY;BYDAY=SA,SU;BYHOUR=0',
      dtstart: '2026-11-01T00:00:00Z',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-10T00:00:00Z',
      starts: ['2026-11-01T00:00Z', '2026-11-07T00:00Z', '2026-11-08T00:00Z'],
    },
    { rule: 'FREQ=DAILY', dtstart: '2026-11-01T02:00:00Z', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', limit: 2, starts: ['2026-11-01T02:00Z', '2026-11-02T02:00Z'] },
  ];
  it.each(cases)('$rule from $dtstart in [$from, $to)', ({ rule, dtstart, from, to, limit, starts }) => {
    expect(rruleStarts(parseRrule(rule), at(dtstart), at(from), at(to), limit ?? 100).map(iso)).toEqual(starts);
  });

  it('is bounded by the scan limit', () => {
    const starts = rruleStarts(parseRrule('FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23'), 0, 0, Date.UTC(2030, 0, 1), 1e9, 500);
    expect(starts).toHaveLength(500);
  });
});

describe('parseRrule', () => {
  it('reads every part', () => {
    expect(parseRrule('RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;BYHOUR=2;BYMINUTE=0,30;COUNT=10')).toEqual({
      freq: 'WEEKLY',
      interval: 2,
      byDay: [1, 3],
      byMonthDay: [],
      byHour: [2],
      byMinute: [0, 30],
      count: 10,
      until: null,
    });
  });
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['FREQ=HOURLY', /FREQ must be/],
    ['FREQ=DAILY;BYSECOND=3', /BYSECOND is not supported/],
    ['FREQ=DAILY;INTERVAL=0', /INTERVAL 0 must be/],
    ['FREQ=WEEKLY;BYDAY=1MO', /ordinals/],
    ['FREQ=DAILY;BYHOUR=24', /BYHOUR 24/],
    ['FREQ=DAILY;COUNT=2;UNTIL=20270101', /COUNT and UNTIL/],
    ['FREQ=DAILY;UNTIL=20270231', /not a date/],
    ['FREQ=DAILY;FREQ=WEEKLY', /twice/],
    ['FREQ=MONTHLY;BYMONTHDAY=0', /must not be 0/],
    ['FREQ=DAILY;COUNT=100000', /COUNT/],
  ];
  it.each(bad)('refuses %j', (rule, message) => {
    expect(() => parseRrule(rule)).toThrow(InvalidRruleError);
    expect(() => parseRrule(rule)).toThrow(message);
  });
});
