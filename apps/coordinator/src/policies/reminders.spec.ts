import { describe, expect, it } from 'vitest';
import { dueReminders } from './reminders.service';

const MIN = 60_000;
const opened = Date.parse('2026-11-25T09:00:00Z');
const policy = (reminder: number | null, escalation: { afterMinutes: number; channels: string[] } | null = null) => ({
  id: 'pol_a',
  channels: ['ch_slack'],
  reminder: reminder === null ? null : { everyMinutes: reminder },
  escalation,
});

describe('reminders and escalation due', () => {
  it('nothing before the first interval, then the latest reminder only (no backlog)', () => {
    expect(dueReminders([policy(30)], opened, opened + 29 * MIN)).toEqual([]);
    expect(dueReminders([policy(30)], opened, opened + 30 * MIN)).toEqual([
      { policyId: 'pol_a', step: 'r1', sequence: 1, escalation: false, channels: ['ch_slack'], dueAt: opened + 30 * MIN },
    ]);
    expect(dueReminders([policy(30)], opened, opened + 95 * MIN).map((d) => d.step)).toEqual(['r3']);
  });

  it('escalates once its wait is over, and later reminders go to both lists', () => {
    const escalating = policy(10, { afterMinutes: 25, channels: ['ch_pd'] });
    expect(dueReminders([escalating], opened, opened + 20 * MIN).map((d) => [d.step, d.channels])).toEqual([['r2', ['ch_slack']]]);
    expect(dueReminders([escalating], opened, opened + 31 * MIN).map((d) => [d.step, d.channels])).toEqual([
      ['r3', ['ch_slack', 'ch_pd']],
      ['esc', ['ch_pd']],
    ]);
  });

  it('a policy without reminders escalates only; one with neither sends nothing', () => {
    expect(dueReminders([policy(null, { afterMinutes: 5, channels: ['ch_pd'] })], opened, opened + 6 * MIN).map((d) => d.step)).toEqual(['esc']);
    expect(dueReminders([policy(null)], opened, opened + 600 * MIN)).toEqual([]);
  });
});
