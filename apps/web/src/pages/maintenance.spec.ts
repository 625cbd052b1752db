import { describe, expect, it } from 'vitest';
import type { MaintenanceView } from '../api/api-types';
import { coversMonitor, maintenanceOf, recurrenceWords } from './maintenance';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const monitor = { id: 'mon_2b4kq7xa3dhv6mnpz2re', labels: { team: 'payments', env: 'prod' } };

function window(overrides: Partial<MaintenanceView>): MaintenanceView {
  return {
    id: 'mw_23ocd2bqb2n2g4vyifld',
    key: 'patching',
    revision: 1,
    kind: 'once',
    monitorIds: [],
    labels: null,
    startsAt: '2026-11-25T09:30:00Z',
    endsAt: '2026-11-25T10:30:00Z',
    durationMinutes: 60,
    rrule: null,
    cron: null,
    reason: 'kernel patching',
    active: true,
    current: { startsAt: '2026-11-25T09:30:00Z', endsAt: '2026-11-25T10:30:00Z' },
    next: null,
    createdAt: '2026-11-25T09:00:00Z',
    updatedAt: '2026-11-25T09:00:00Z',
    ...overrides,
  };
}

describe('coversMonitor', () => {
  it('covers the monitors a window names, and those with every label it selects by', () => {
    expect(coversMonitor({ monitorIds: [monitor.id], labels: null }, monitor)).toBe(true);
    expect(coversMonitor({ monitorIds: ['mon_other'], labels: null }, monitor)).toBe(false);
    expect(coversMonitor({ monitorIds: [], labels: { team: 'payments' } }, monitor)).toBe(true);
    expect(coversMonitor({ monitorIds: [], labels: { team: 'payments', env: 'staging' } }, monitor)).toBe(false);
    expect(coversMonitor({ monitorIds: [], labels: { team: 'payments' } }, { id: monitor.id, labels: undefined })).toBe(false);
    // A window selecting by labels ignores monitorIds (the coordinator's rule).
    expect(coversMonitor({ monitorIds: [monitor.id], labels: { team: 'search' } }, monitor)).toBe(false);
  });
});

describe('maintenanceOf', () => {
  it('keeps the windows in effect now and the next ones, soonest first, and says until when', () => {
    const windows = [
      window({ id: 'mw_a', monitorIds: [monitor.id] }),
      window({ id: 'mw_b', labels: { team: 'payments' }, current: { startsAt: '2026-11-25T09:00:00Z', endsAt: '2026-11-25T11:00:00Z' } }),
      window({ id: 'mw_c', monitorIds: ['mon_other'] }),
      window({ id: 'mw_d', kind: 'cron', cron: '0 2 * * 0', labels: { env: 'prod' }, active: false, current: null, next: { startsAt: '2026-11-29T02:00:00Z', endsAt: '2026-11-29T03:00:00Z' } }),
      window({ id: 'mw_e', monitorIds: [monitor.id], active: false, current: null, next: { startsAt: '2026-11-26T02:00:00Z', endsAt: '2026-11-26T03:00:00Z' } }),
      // Ended since the API answered: no longer shown as in effect.
      window({ id: 'mw_f', monitorIds: [monitor.id], current: { startsAt: '2026-11-25T09:00:00Z', endsAt: '2026-11-25T09:59:00Z' } }),
    ];
    const found = maintenanceOf(windows, monitor, NOW);
    expect(found.active.map((entry) => entry.window.id)).toEqual(['mw_a', 'mw_b']);
    expect(found.upcoming.map((entry) => entry.window.id)).toEqual(['mw_e', 'mw_d']);
    expect(found.activeUntil).toBe('2026-11-25T11:00:00Z');
  });

  it('has nothing for a monitor no window covers', () => {
    expect(maintenanceOf([window({ monitorIds: ['mon_other'] })], monitor, NOW)).toEqual({ active: [], upcoming: [], activeUntil: null });
  });
});

describe('recurrenceWords', () => {
  it('says how a window recurs and how long each occurrence lasts', () => {
    expect(recurrenceWords({ kind: 'once', rrule: null, cron: null, durationMinutes: 30 })).toBe('one-off, 30 min');
    expect(recurrenceWords({ kind: 'rrule', rrule: 'FREQ=WEEKLY;BYDAY=SU', cron: null, durationMinutes: 60 })).toBe('repeats by RRULE FREQ=WEEKLY;BYDAY=SU, 60 min each');
    expect(recurrenceWords({ kind: 'cron', rrule: null, cron: '0 2 * * 0', durationMinutes: 90 })).toBe('repeats by cron 0 2 * * 0, 90 min each');
  });
});
