import { describe, expect, it } from 'vitest';
import { connectionRefused, up } from '../reconcile/__fixtures__/region-verdicts';
import { reconcile } from '../reconcile/reconcile';
import type { RegionVerdict } from '../reconcile/round-verdicts';
import { advanceIncident } from './incident-machine';
import { holdForMaintenance, type ActiveMaintenance, type HeldTransition } from './maintenance-hold';
import type { MonitorIncidentState } from './monitor-incident-state';

const MONITOR = 'mon-1';
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const EVERY = 60_000;
const WINDOW: ActiveMaintenance = { windowId: 'mw_1', reason: 'database upgrade' };

const ROUNDS = {
  up: { a: up(), b: up() },
  down: { a: connectionRefused(), b: connectionRefused() },
} satisfies Record<string, Record<string, RegionVerdict>>;

/** A round: its name, and `m` when it falls in the window. */
type Step = `${keyof typeof ROUNDS}${'' | ' m'}`;

/** Applies the rounds through the machine and the hold; returns each round's events and mark, briefly, and the last state. */
function run(steps: Step[]): { briefs: string[]; state: MonitorIncidentState | undefined; transitions: HeldTransition[] } {
  let state: MonitorIncidentState | undefined;
  const transitions: HeldTransition[] = [];
  steps.forEach((step, index) => {
    const [name, inWindow] = step.split(' ') as [keyof typeof ROUNDS, string | undefined];
    const scheduledAt = T0 + index * EVERY;
    const round = { monitorId: MONITOR, roundId: `r${index}`, scheduledAt, reconciliation: reconcile({ regions: ROUNDS[name] }) };
    const previous = state ?? { version: 1 as const, monitorId: MONITOR, lastRound: null, health: null, candidate: null, incident: null, regions: {} };
    const held = holdForMaintenance(previous, advanceIncident(previous, round), inWindow ? WINDOW : null);
    transitions.push(held);
    state = held.state;
  });
  const briefs = transitions.map((t) => [...t.events.map((e) => e.type.replace('incident.', '')), ...(t.mark ? [t.mark] : []), ...t.held.map((h) => `held ${h.replace('incident.', '')}`)].join(' + '));
  return { briefs, state, transitions };
}

describe('holdForMaintenance', () => {
  const cases: { name: string; steps: Step[]; briefs: string[]; open: boolean }[] = [
    { name: 'outside any window, the machine as is', steps: ['down', 'down', 'up', 'up'], briefs: ['', 'opened', '', 'resolved'], open: false },
    {
      name: 'a failure inside the window opens nothing',
      steps: ['down m', 'down m', 'down m'],
      briefs: ['', 'held opened', 'held opened'],
      open: false,
    },
    {
      name: 'the failure holding past the window opens at its first round after it',
      steps: ['down m', 'down m', 'down m', 'down'],
      briefs: ['', 'held opened', 'held opened', 'opened'],
      open: true,
    },
    { name: 'a failure that recovers inside the window never pages', steps: ['down m', 'down m', 'up m', 'up m', 'up'], briefs: ['', 'held opened', '', '', ''], open: false },
    {
      name: 'an incident open before the window stays open and is marked, then unmarked',
      steps: ['down', 'down', 'down m', 'down m', 'down'],
      briefs: ['', 'opened', 'entered', '', 'left'],
      open: true,
    },
    {
      name: 'recovery during the window is sent',
      steps: ['down', 'down', 'up m', 'up m'],
      briefs: ['', 'opened', 'entered', 'resolved'],
      open: false,
    },
    { name: 'a window that starts on the confirming round holds it', steps: ['down', 'down m', 'down'], briefs: ['', 'held opened', 'opened'], open: true },
  ];
  it.each(cases)('$name', ({ steps, briefs, open }) => {
    const result = run(steps);
    expect(result.briefs).toEqual(briefs);
    expect(result.state?.incident !== null).toBe(open);
  });

  it('opens after the window with the real start: the first unhealthy round in the window', () => {
    const { state, transitions } = run(['up', 'down m', 'down m', 'down m', 'down']);
    expect(state?.incident?.startedAt).toBe(T0 + 1 * EVERY);
    expect(state?.incident?.openedAt).toBe(T0 + 4 * EVERY);
    expect(transitions[4]?.events[0]?.type).toBe('incident.opened');
  });

  it('remembers the window from its first round, and forgets it after', () => {
    const { transitions } = run(['down m', 'down m', 'down']);
    expect(transitions[0]?.state.maintenance).toEqual({ windowId: 'mw_1', since: T0, reason: 'database upgrade' });
    expect(transitions[1]?.state.maintenance?.since).toBe(T0);
    expect(transitions[2]?.state.maintenance).toBeNull();
  });

  it('keeps an open incident as it was while the window holds an update back', () => {
    const { transitions } = run(['down', 'down', 'down m']);
    const before = transitions[1]!.state.incident;
    expect(transitions[2]!.state.incident).toEqual(before);
  });

  it('ignores an old round, hold or not', () => {
    const previous = run(['down', 'down']).state!;
    const stale = advanceIncident(previous, { monitorId: MONITOR, roundId: 'old', scheduledAt: T0, reconciliation: reconcile({ regions: ROUNDS.up }) });
    const held = holdForMaintenance(previous, stale, WINDOW);
    expect(held.disposition).toBe('ignored');
    expect(held.state).toBe(previous);
  });
});
