import { describe, expect, it } from 'vitest';
import { CompiledSchedule, type MaintenanceSchedule } from './maintenance-schedule';

const at = (text: string) => Date.parse(text);
const HOUR = 3_600_000;

describe('CompiledSchedule.occurrenceAt', () => {
  const cases: { name: string; schedule: MaintenanceSchedule; at: string; start: string | null }[] = [
    { name: 'once, inside', schedule: { kind: 'once', startsAt: at('2026-11-01T02:00:00Z'), endsAt: at('2026-11-01T03:00:00Z') }, at: '2026-11-01T02:30:00Z', start: '2026-11-01T02:00:00.000Z' },
    { name: 'once, at its end (exclusive)', schedule: { kind: 'once', startsAt: at('2026-11-01T02:00:00Z'), endsAt: at('2026-11-01T03:00:00Z') }, at: '2026-11-01T03:00:00Z', start: null },
    { name: 'once, before', schedule: { kind: 'once', startsAt: at('2026-11-01T02:00:00Z'), endsAt: at('2026-11-01T03:00:00Z') }, at: '2026-11-01T01:59:59Z', start: null },
    {
      name: 'rrule, inside the second occurrence',
      schedule: { kind: 'rrule', startsAt: at('2026-11-01T00:00:00Z'), durationMs: 2 * HOUR, rrule: 'FREQ=DAILY;BYHOUR=23' },
      at: '2026-11-03T00:30:00Z',
      start: '2026-11-02T23:00:00.000Z',
    },
    { name: 'rrule, between', schedule: { kind: 'rrule', startsAt: at('2026-11-01T00:00:00Z'), durationMs: HOUR, rrule: 'FREQ=DAILY;BYHOUR=23' }, at: '2026-11-03T00:30:00Z', start: null },
    {
      name: 'rrule, before its startsAt',
      schedule: { kind: 'rrule', startsAt: at('2026-11-05T00:00:00Z'), durationMs: 2 * HOUR, rrule: 'FREQ=DAILY;BYHOUR=0' },
      at: '2026-11-03T00:30:00Z',
      start: null,
    },
    { name: 'cron, inside', schedule: { kind: 'cron', startsAt: 0, durationMs: 30 * 60_000, cron: '0 2 * * SUN' }, at: '2026-11-08T02:29:59Z', start: '2026-11-08T02:00:00.000Z' },
    { name: 'cron, after', schedule: { kind: 'cron', startsAt: 0, durationMs: 30 * 60_000, cron: '0 2 * * SUN' }, at: '2026-11-08T02:30:00Z', start: null },
  ];
  it.each(cases)('$name', ({ schedule, at: when, start }) => {
    const occurrence = new CompiledSchedule(schedule).occurrenceAt(at(when));
    expect(occurrence === null ? null : new Date(occurrence.start).toISOString()).toBe(start);
  });

  it('lists the occurrences overlapping a span, and those starting in it', () => {
    const schedule = new CompiledSchedule({ kind: 'rrule', startsAt: at('2026-11-01T00:00:00Z'), durationMs: 2 * HOUR, rrule: 'FREQ=DAILY;BYHOUR=23' });
    const from = at('2026-11-02T00:00:00Z');
    const to = at('2026-11-03T00:00:00Z');
    expect(schedule.overlapping(from, to, 10).map((o) => new Date(o.start).toISOString())).toEqual(['2026-11-01T23:00:00.000Z', '2026-11-02T23:00:00.000Z']);
    expect(schedule.startingIn(from, to, 10).map((o) => new Date(o.start).toISOString())).toEqual(['2026-11-02T23:00:00.000Z']);
  });
});
