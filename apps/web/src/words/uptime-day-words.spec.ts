import type { SeriesPoint } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { uptimeDayWords } from './uptime-day-words';

function day(overrides: Partial<SeriesPoint>): SeriesPoint {
  return { at: '2026-03-04T00:00:00.000Z', rounds: 0, up: 0, down: 0, excluded: 0, uptimeRatio: null, incidentMinutes: 0, maintenanceMinutes: 0, worst: null, classifications: {}, regions: {}, ...overrides };
}

describe('uptimeDayWords', () => {
  it('says a day without rounds in words, grey and unmarked', () => {
    expect(uptimeDayWords(day({}), false)).toEqual({ text: '2026-03-04: no rounds', tone: 'none', mark: '' });
    expect(uptimeDayWords(day({ rounds: 3, excluded: 3 }), false).text).toBe('2026-03-04: no round counted (3 not decided)');
  });

  it('names the worst classification, the incident time and the rounds left out', () => {
    const words = uptimeDayWords(day({ rounds: 41, up: 30, down: 10, excluded: 1, uptimeRatio: 0.75, incidentMinutes: 9, worst: 'masked_outage' }), true);
    expect(words.text).toBe('2026-03-04 (today): 75.0 % up (30 of 40 rounds); worst: masked outage; incident open 9 min; 1 round not counted');
    expect(words.tone).toBe('bad');
    expect(words.mark).toBe('◐');
  });

  it('never draws a day with a down round green, however high its ratio', () => {
    expect(uptimeDayWords(day({ rounds: 10_000, up: 9_999, down: 1, uptimeRatio: 0.9999, worst: 'outage' }), false).tone).toBe('warn');
    expect(uptimeDayWords(day({ rounds: 100, up: 100, uptimeRatio: 1, worst: 'operational' }), false)).toEqual({ text: '2026-03-04: 100 % up (100 of 100 rounds); no outage', tone: 'ok', mark: '' });
  });
});
