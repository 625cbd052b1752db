import { describe, expect, it } from 'vitest';
import {
  connectionRefused,
  downBehindCache,
  healthDegraded,
  lbErrorPage,
  missing,
  slow,
  up,
  upFromCacheUnverified,
  withContent,
} from '../reconcile/__fixtures__/region-verdicts';
import { reconcile } from '../reconcile/reconcile';
import type { Reconciliation } from '../reconcile/reconciliation';
import type { RegionVerdict } from '../reconcile/round-verdicts';
import type { IncidentEvent } from './incident-event';
import { transitionKey } from './incident-ids';
import { advanceIncident, type IncidentRound, type IncidentTransition } from './incident-machine';
import { incidentPolicySchema, type IncidentPolicyInput } from './incident-policy';
import { severityOf } from './incident-severity';
import type { MonitorIncidentState } from './monitor-incident-state';
import { MonitorMismatchError } from './monitor-mismatch.error';

const MONITOR = 'mon-1';
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const EVERY = 60_000;

/** Named rounds of a three-region monitor (regions a, b, c), reconciled by the real `reconcile`. */
const ROUNDS = {
  up: { a: up(), b: up(), c: up() },
  down: { a: connectionRefused(), b: connectionRefused(), c: connectionRefused() },
  lb: { a: lbErrorPage(), b: lbErrorPage(), c: lbErrorPage() },
  masked: { a: downBehindCache(), b: downBehindCache(), c: connectionRefused() },
  'regional-a': { a: connectionRefused(), b: up(), c: up() },
  'regional-b': { a: up(), b: connectionRefused(), c: up() },
  degraded: { a: healthDegraded(), b: healthDegraded(), c: healthDegraded() },
  unknown: { a: missing(), b: missing(), c: missing() },
  'missing-c': { a: up(), b: up(), c: missing() },
  'missing-c-down': { a: connectionRefused(), b: connectionRefused(), c: missing() },
  'slow-a': { a: slow(), b: up(), c: up() },
  'slow-b': { a: up(), b: slow(), c: up() },
  'down-ab': { a: connectionRefused(), b: connectionRefused(), c: up() },
  'down-bc': { a: up(), b: connectionRefused(), c: connectionRefused() },
  'masked-ab': { a: upFromCacheUnverified(), b: connectionRefused(), c: up() },
  'masked-c': { a: up(), b: up(), c: downBehindCache() },
  'skew-a': { a: withContent(up(), { version: '1.4.0' }), b: withContent(up(), { version: '1.5.0' }), c: withContent(up(), { version: '1.5.0' }) },
  'skew-b': { a: withContent(up(), { version: '1.5.0' }), b: withContent(up(), { version: '1.4.0' }), c: withContent(up(), { version: '1.5.0' }) },
} satisfies Record<string, Record<string, RegionVerdict>>;

type RoundName = keyof typeof ROUNDS;

function reconciled(name: RoundName): Reconciliation {
  return reconcile({ regions: ROUNDS[name] });
}

function roundAt(index: number, name: RoundName, monitorId = MONITOR): IncidentRound {
  const scheduledAt = T0 + index * EVERY;
  return { monitorId, roundId: `${monitorId}-${scheduledAt}`, scheduledAt, reconciliation: reconciled(name) };
}

/** `opened outage a,b,c`, `updated regional_outage b`, `resolved`, `blind c`, `restored c`. */
function brief(event: IncidentEvent): string {
  switch (event.type) {
    case 'incident.opened':
      return `opened ${event.classificationAfter} ${event.affectedRegions.join(',')}`;
    case 'incident.updated':
      return `updated ${event.classificationAfter} ${event.affectedRegions.join(',')}`;
    case 'incident.resolved':
      return 'resolved';
    case 'region.blind':
      return `blind ${event.region}`;
    case 'region.restored':
      return `restored ${event.region}`;
  }
}

/** Applies the rounds in order; returns each round's events, briefly, and the transitions. */
function run(names: RoundName[], policy?: IncidentPolicyInput): { briefs: string[]; transitions: IncidentTransition[] } {
  let state: MonitorIncidentState | undefined;
  const transitions: IncidentTransition[] = [];
  names.forEach((name, index) => {
    const transition = advanceIncident(state, roundAt(index, name), policy);
    transitions.push(transition);
    state = transition.state;
  });
  return { briefs: transitions.map((t) => t.events.map(brief).join(' + ')), transitions };
}

interface Case {
  name: string;
  rounds: RoundName[];
  policy?: IncidentPolicyInput;
  /** Per round: its events, briefly, joined by ` + `; `''` for none. */
  events: string[];
}

const cases: Case[] = [
  { name: 'opens after 2 rounds', rounds: ['up', 'down', 'down'], events: ['', '', 'opened outage a,b,c'] },
  { name: 'does not open after 1', rounds: ['down', 'up', 'up'], events: ['', '', ''] },
  { name: 'flapping never opens', rounds: ['down', 'up', 'down', 'up', 'lb', 'up', 'down'], events: ['', '', '', '', '', '', ''] },
  { name: 'flapping between a region down and up never opens', rounds: ['regional-a', 'up', 'regional-b', 'up'], events: ['', '', '', ''] },
  {
    name: 'opens on two unhealthy rounds of different kinds, as the latest',
    rounds: ['down', 'masked'],
    events: ['', 'opened masked_outage a,b,c'],
  },
  { name: 'opens a degraded incident', rounds: ['degraded', 'degraded'], events: ['', 'opened degraded a,b,c'] },
  { name: 'degraded opens nothing when the policy says so', rounds: ['degraded', 'degraded', 'degraded'], policy: { openOnDegraded: false }, events: ['', '', ''] },
  { name: 'opens after 1 when openAfter is 1', rounds: ['regional-a'], policy: { openAfter: 1 }, events: ['opened regional_outage a'] },
  { name: 'opens after 3 when openAfter is 3', rounds: ['down', 'down', 'down'], policy: { openAfter: 3 }, events: ['', '', 'opened outage a,b,c'] },
  {
    name: 'resolves after 2 healthy rounds',
    rounds: ['down', 'down', 'up', 'up', 'up'],
    events: ['', 'opened outage a,b,c', '', 'resolved', ''],
  },
  {
    name: 'flapping while open never resolves',
    rounds: ['down', 'down', 'up', 'down', 'up', 'down', 'up', 'up'],
    events: ['', 'opened outage a,b,c', '', '', '', '', '', 'resolved'],
  },
  {
    name: 'resolves after 3 when resolveAfter is 3',
    rounds: ['down', 'down', 'up', 'up', 'up'],
    policy: { resolveAfter: 3 },
    events: ['', 'opened outage a,b,c', '', '', 'resolved'],
  },
  {
    name: 'degraded resolves an outage when degraded is not incident-worthy',
    rounds: ['down', 'down', 'degraded', 'degraded'],
    policy: { openOnDegraded: false },
    events: ['', 'opened outage a,b,c', '', 'resolved'],
  },
  {
    name: 'degraded updates an outage (de-escalation) when degraded is incident-worthy, then resolves',
    rounds: ['down', 'down', 'degraded', 'degraded', 'up', 'up'],
    events: ['', 'opened outage a,b,c', '', 'updated degraded a,b,c', '', 'resolved'],
  },
  {
    name: 'updates on a classification change that holds 2 rounds',
    rounds: ['down', 'down', 'masked', 'masked', 'masked'],
    events: ['', 'opened outage a,b,c', '', 'updated masked_outage a,b,c', ''],
  },
  {
    name: 'updates on an affected-region change that holds 2 rounds',
    rounds: ['regional-a', 'regional-a', 'regional-b', 'regional-b'],
    events: ['', 'opened regional_outage a', '', 'updated regional_outage b'],
  },
  {
    name: 'escalates from regional to outage after 2 rounds',
    rounds: ['regional-a', 'regional-a', 'down', 'down'],
    events: ['', 'opened regional_outage a', '', 'updated outage a,b,c'],
  },
  {
    name: 'a change that does not hold is damped',
    rounds: ['down', 'down', 'regional-a', 'down', 'regional-b', 'lb', 'down'],
    events: ['', 'opened outage a,b,c', '', '', '', '', ''],
  },
  {
    name: 'updates at once when updateAfter is 1',
    rounds: ['down', 'down', 'masked'],
    policy: { updateAfter: 1 },
    events: ['', 'opened outage a,b,c', 'updated masked_outage a,b,c'],
  },
  {
    name: 'a change that reverts before the update leaves the incident as it was',
    rounds: ['down', 'down', 'masked', 'down', 'down'],
    events: ['', 'opened outage a,b,c', '', '', ''],
  },
  {
    name: 'unknown rounds neither count toward opening nor break the streak',
    rounds: ['down', 'unknown', 'unknown', 'down'],
    policy: { blindAfter: 5 },
    events: ['', '', '', 'opened outage a,b,c'],
  },
  {
    name: 'unknown rounds still report silent regions, next to the incident events',
    rounds: ['down', 'unknown', 'unknown', 'down'],
    events: ['', '', 'blind a + blind b + blind c', 'opened outage a,b,c + restored a + restored b + restored c'],
  },
  { name: 'unknown rounds alone never open', rounds: ['unknown', 'unknown', 'unknown'], policy: { blindAfter: 5 }, events: ['', '', ''] },
  {
    name: 'unknown rounds neither count toward resolving nor break the streak',
    rounds: ['down', 'down', 'up', 'unknown', 'up'],
    policy: { blindAfter: 5 },
    events: ['', 'opened outage a,b,c', '', '', 'resolved'],
  },
  {
    name: 'unknown rounds keep an incident open',
    rounds: ['down', 'down', 'unknown', 'unknown', 'unknown', 'unknown'],
    policy: { blindAfter: 10 },
    events: ['', 'opened outage a,b,c', '', '', '', ''],
  },
  {
    name: 'a region missing 2 rounds is blind once, and restored once when it answers',
    rounds: ['missing-c', 'missing-c', 'missing-c', 'missing-c', 'up', 'up'],
    events: ['', 'blind c', '', '', 'restored c', ''],
  },
  { name: 'a region missing 1 round is neither blind nor restored', rounds: ['missing-c', 'up', 'missing-c', 'up'], events: ['', '', '', ''] },
  {
    name: 'silence counts in unknown rounds too',
    rounds: ['unknown', 'unknown', 'up'],
    events: ['', 'blind a + blind b + blind c', 'restored a + restored b + restored c'],
  },
  {
    name: 'blind again after a new silence',
    rounds: ['missing-c', 'missing-c', 'up', 'missing-c', 'missing-c'],
    events: ['', 'blind c', 'restored c', '', 'blind c'],
  },
  {
    name: 'incident events come before region events',
    rounds: ['missing-c-down', 'missing-c-down', 'up', 'up'],
    events: ['', 'opened outage a,b + blind c', 'restored c', 'resolved'],
  },
  { name: 'blindAfter 3', rounds: ['missing-c', 'missing-c', 'missing-c'], policy: { blindAfter: 3 }, events: ['', '', 'blind c'] },

  // per-region damping
  { name: 'one slow region per round, alternating between two regions, never opens', rounds: ['slow-a', 'slow-b', 'slow-a', 'slow-b', 'slow-a'], events: ['', '', '', '', ''] },
  { name: 'the same slow region two rounds in a row opens', rounds: ['slow-a', 'slow-a'], events: ['', 'opened degraded a'] },
  { name: 'a slow region that then holds opens once it has held', rounds: ['slow-a', 'slow-b', 'slow-b'], events: ['', '', 'opened degraded b'] },
  { name: 'a region down in alternate regions never opens', rounds: ['regional-a', 'regional-b', 'regional-a', 'regional-b'], events: ['', '', '', ''] },
  { name: 'masked in one place, then masked elsewhere, does not open until one holds', rounds: ['masked-ab', 'masked-c', 'masked-c'], events: ['', '', 'opened masked_outage c'] },
  { name: 'version skew alternating between regions never opens', rounds: ['skew-a', 'skew-b', 'skew-a', 'skew-b'], events: ['', '', '', ''] },
  { name: 'version skew in the same region opens', rounds: ['skew-a', 'skew-a'], events: ['', 'opened degraded a'] },
  { name: 'trouble in the same region seen two ways holds: slow, then down', rounds: ['slow-a', 'regional-a'], events: ['', 'opened regional_outage a'] },
  { name: 'a healthy round starts every region over', rounds: ['slow-a', 'up', 'slow-a', 'up'], events: ['', '', '', ''] },
  {
    name: 'unknown rounds neither count toward a region holding nor break it',
    rounds: ['slow-a', 'unknown', 'slow-a'],
    policy: { blindAfter: 5 },
    events: ['', '', 'opened degraded a'],
  },
  {
    name: 'openAfter 3: a region must hold 3 rounds',
    rounds: ['slow-a', 'slow-a', 'slow-b', 'slow-b', 'slow-b'],
    policy: { openAfter: 3 },
    events: ['', '', '', '', 'opened degraded b'],
  },
  { name: 'an outage keeps the monitor-wide rule: the quorum is its own confirmation', rounds: ['down-ab', 'down-bc'], events: ['', 'opened outage b,c'] },
  { name: 'an outage confirms after a regional round elsewhere', rounds: ['regional-a', 'down-bc'], events: ['', 'opened outage b,c'] },
  {
    name: 'an update to a region that did not hold is damped',
    rounds: ['regional-a', 'regional-a', 'slow-b', 'regional-a', 'slow-b', 'slow-b'],
    events: ['', 'opened regional_outage a', '', '', '', 'updated degraded b'],
  },
];

describe('advanceIncident', () => {
  it.each(cases)('$name', ({ rounds, policy, events }) => {
    expect(run(rounds, policy).briefs).toEqual(events);
  });

  it('reports unknown rounds as neutral and counted rounds as applied', () => {
    const { transitions } = run(['down', 'unknown', 'up']);
    expect(transitions.map((t) => t.disposition)).toEqual(['applied', 'neutral', 'applied']);
    expect(transitions[1]!.state.health).toEqual(transitions[0]!.state.health);
    expect(transitions[1]!.state.candidate).toEqual(transitions[0]!.state.candidate);
    expect(transitions[1]!.state.lastRound?.scheduledAt).toBe(T0 + EVERY);
  });

  it('opens a new incident, with a new id, after one resolved', () => {
    const { transitions } = run(['down', 'down', 'up', 'up', 'down', 'down']);
    const opened = transitions.flatMap((t) => t.events).filter((e) => e.type === 'incident.opened');
    expect(opened.map((e) => e.incidentId)).toEqual([`inc_${MONITOR}_${T0 + EVERY}`, `inc_${MONITOR}_${T0 + 5 * EVERY}`]);
  });
});

describe('advanceIncident payloads', () => {
  it('gives an opened event everything a webhook needs', () => {
    const { transitions } = run(['regional-a', 'missing-c-down']);
    const second = roundAt(1, 'missing-c-down');
    expect(transitions[1]!.events[0]).toEqual({
      type: 'incident.opened',
      eventId: `evt_${MONITOR}_${second.scheduledAt}_incident.opened`,
      incidentId: `inc_${MONITOR}_${second.scheduledAt}`,
      monitorId: MONITOR,
      roundId: second.roundId,
      at: second.scheduledAt,
      classificationBefore: null,
      classificationAfter: 'outage',
      roundClassification: 'outage',
      severity: 'critical',
      affectedRegions: ['a', 'b'],
      affectedRegionsBefore: [],
      blindRegions: ['c'],
      region: null,
      reason: `${second.reconciliation.reason} (unhealthy for 2 consecutive rounds)`,
    } satisfies IncidentEvent);
    expect(transitions[1]!.state.incident).toEqual({
      id: `inc_${MONITOR}_${second.scheduledAt}`,
      classification: 'outage',
      severity: 'critical',
      affectedRegions: ['a', 'b'],
      startedAt: T0,
      openedAt: second.scheduledAt,
      openedRoundId: second.roundId,
      updatedAt: second.scheduledAt,
      reason: second.reconciliation.reason,
    });
  });

  it('gives an updated event the classification and regions before and after', () => {
    const { transitions } = run(['regional-a', 'regional-a', 'regional-b', 'down', 'down']);
    const updated = transitions[4]!.events[0]!;
    expect(updated).toMatchObject({
      type: 'incident.updated',
      incidentId: `inc_${MONITOR}_${T0 + EVERY}`,
      classificationBefore: 'regional_outage',
      classificationAfter: 'outage',
      severity: 'critical',
      affectedRegions: ['a', 'b', 'c'],
      affectedRegionsBefore: ['a'],
    });
    expect(updated.reason).toMatch(/\(for 2 consecutive rounds; was regional outage in a\)$/);
    expect(transitions[4]!.state.incident).toMatchObject({ openedAt: T0 + EVERY, updatedAt: T0 + 4 * EVERY, severity: 'critical' });
  });

  it('gives a resolved event the incident it closes', () => {
    const { transitions } = run(['masked', 'masked', 'up', 'up']);
    expect(transitions[3]!.events[0]).toMatchObject({
      type: 'incident.resolved',
      incidentId: `inc_${MONITOR}_${T0 + EVERY}`,
      classificationBefore: 'masked_outage',
      classificationAfter: null,
      roundClassification: 'operational',
      severity: 'critical',
      affectedRegions: ['a', 'b', 'c'],
      affectedRegionsBefore: ['a', 'b', 'c'],
      reason: 'resolved after 2 consecutive healthy rounds: operational: up in 3 of 3 regions',
    });
    expect(transitions[3]!.state.incident).toBeNull();
  });

  it('gives region events the region, the reason it is silent, and the open incident', () => {
    const { transitions } = run(['down', 'missing-c-down', 'missing-c-down', 'down']);
    const blind = transitions[2]!.events.find((e) => e.type === 'region.blind')!;
    expect(blind).toMatchObject({
      eventId: `evt_${MONITOR}_${T0 + 2 * EVERY}_region.blind_c`,
      incidentId: `inc_${MONITOR}_${T0 + EVERY}`,
      region: 'c',
      affectedRegions: ['c'],
      blindRegions: ['c'],
      classificationBefore: 'outage',
      classificationAfter: 'outage',
    });
    expect(blind.reason).toBe('region c blind: no usable answer for 2 consecutive rounds (no result before the deadline: no live agent in the region (region blind))');
    const restored = transitions[3]!.events.find((e) => e.type === 'region.restored')!;
    expect(restored.reason).toBe('region c restored: answering again after 2 consecutive rounds without an answer');
  });
});

describe('advanceIncident ordering and determinism', () => {
  it('ignores a round older than the last applied one', () => {
    const first = advanceIncident(undefined, roundAt(5, 'down'));
    const late = advanceIncident(first.state, roundAt(4, 'down'));
    expect(late).toEqual({ state: first.state, events: [], disposition: 'ignored' });
    expect(late.state).toBe(first.state);
  });

  it('ignores the same round applied twice', () => {
    const once = advanceIncident(advanceIncident(undefined, roundAt(0, 'down')).state, roundAt(1, 'down'));
    expect(once.events.map(brief)).toEqual(['opened outage a,b,c']);
    const twice = advanceIncident(once.state, roundAt(1, 'down'));
    expect(twice).toEqual({ state: once.state, events: [], disposition: 'ignored' });
  });

  it('computes the same transition from the same inputs (replicas agree)', () => {
    const state = advanceIncident(undefined, roundAt(0, 'lb')).state;
    expect(advanceIncident(state, roundAt(1, 'lb'))).toEqual(advanceIncident(structuredClone(state), roundAt(1, 'lb')));
  });

  it('does not change the state it is given', () => {
    const state = advanceIncident(undefined, roundAt(0, 'missing-c-down')).state;
    const snapshot = structuredClone(state);
    advanceIncident(state, roundAt(1, 'missing-c-down'));
    expect(state).toEqual(snapshot);
  });

  it('works on state that went through JSON (as stored in Redis)', () => {
    const names: RoundName[] = ['down', 'missing-c-down', 'missing-c-down', 'masked', 'masked', 'up', 'up'];
    let stored: string | undefined;
    const events: string[] = [];
    names.forEach((name, index) => {
      const state = stored === undefined ? undefined : (JSON.parse(stored) as MonitorIncidentState);
      const transition = advanceIncident(state, roundAt(index, name));
      events.push(transition.events.map(brief).join(' + '));
      stored = JSON.stringify(transition.state);
    });
    expect(events).toEqual(run(names).briefs);
  });

  it('counts per region how long each has been affected', () => {
    const { transitions } = run(['slow-a', 'slow-a', 'slow-b', 'unknown', 'up']);
    const counts = transitions.map((t) => Object.fromEntries(Object.entries(t.state.regions).map(([region, watch]) => [region, watch.affectedRounds])));
    expect(counts).toEqual([
      { a: 1, b: 0, c: 0 },
      { a: 2, b: 0, c: 0 },
      { a: 0, b: 1, c: 0 },
      { a: 0, b: 1, c: 0 },
      { a: 0, b: 0, c: 0 },
    ]);
  });

  it('reads a state stored before per-region counts existed as no region affected yet', () => {
    const first = advanceIncident(undefined, roundAt(0, 'slow-a')).state;
    const stored = JSON.parse(JSON.stringify(first)) as MonitorIncidentState;
    for (const watch of Object.values(stored.regions)) delete watch.affectedRounds;
    const second = advanceIncident(stored, roundAt(1, 'slow-a'));
    expect(second.events).toEqual([]);
    expect(second.state.regions['a']?.affectedRounds).toBe(1);
    expect(advanceIncident(second.state, roundAt(2, 'slow-a')).events.map(brief)).toEqual(['opened degraded a']);
  });

  it('refuses a round of another monitor', () => {
    const state = advanceIncident(undefined, roundAt(0, 'down')).state;
    expect(() => advanceIncident(state, roundAt(1, 'down', 'mon-2'))).toThrow(MonitorMismatchError);
  });

  it('keys each transition by monitor and round', () => {
    expect(transitionKey('mon-1', 'mon-1-1793534400000')).toBe('incident-transition:mon-1:mon-1-1793534400000');
  });
});

describe('incident policy and severity', () => {
  it('has safe defaults', () => {
    expect(incidentPolicySchema.parse(undefined)).toEqual({ openAfter: 2, resolveAfter: 2, openOnDegraded: true });
  });

  it.each([{ openAfter: 0 }, { resolveAfter: 1.5 }, { updateAfter: -1 }, { blindAfter: 0 }, { openAfter: 2, flap: true }])('rejects %j', (input) => {
    expect(incidentPolicySchema.safeParse(input).success).toBe(false);
  });

  it('ranks masked outages with outages', () => {
    expect(['outage', 'masked_outage', 'regional_outage', 'degraded'].map((c) => severityOf(c as Parameters<typeof severityOf>[0]))).toEqual([
      'critical',
      'critical',
      'major',
      'minor',
    ]);
  });
});
