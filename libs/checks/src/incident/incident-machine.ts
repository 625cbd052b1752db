import type { DecidedClassification } from '../reconcile/classification';
import type { Reconciliation } from '../reconcile/reconciliation';
import { eventIdFor, incidentIdFor } from './incident-ids';
import type { IncidentEvent, IncidentEventType } from './incident-event';
import { incidentPolicySchema, type IncidentPolicy, type IncidentPolicyInput } from './incident-policy';
import { severityOf, type IncidentClassification } from './incident-severity';
import { MonitorMismatchError } from './monitor-mismatch.error';
import {
  initialIncidentState,
  type ClassificationStreak,
  type HealthStreak,
  type MonitorIncidentState,
  type OpenIncident,
  type RoundRef,
} from './monitor-incident-state';
import { countAffectedRounds, longestAffectedRun, watchRegions, type RegionChange } from './region-watch';

/** One reconciled round of one monitor, as the state machine takes it. */
export interface IncidentRound {
  monitorId: string;
  roundId: string;
  /** Epoch ms; rounds are applied in this order. */
  scheduledAt: number;
  reconciliation: Reconciliation;
}

/**
 * What applying a round did:
 * - `applied`: a decided round, counted toward opening, updating or resolving;
 * - `neutral`: an `unknown` round: no incident state changed (region silence is still followed);
 * - `ignored`: a round not newer than the last applied one: same state, no events.
 */
export type TransitionDisposition = 'applied' | 'neutral' | 'ignored';

export interface IncidentTransition {
  state: MonitorIncidentState;
  /** Incident events first, then region events by region name. */
  events: IncidentEvent[];
  disposition: TransitionDisposition;
}

/**
 * Applies one reconciled round to a monitor's incident state. Pure: no clock, no I/O; ids and times
 * come from the round, so every replica computes the same transition and the same events. The
 * coordinator applies it atomically and once per round (see `transitionKey`).
 *
 * The rules:
 * - **Order.** A round scheduled at or before the last applied one is ignored (same state, no
 *   events): late results cannot rewrite history, and a replayed round is a no-op.
 * - **Health.** A decided round is *unhealthy* when its classification is incident-worthy: `outage`,
 *   `masked_outage`, `regional_outage`, and `degraded` unless `openOnDegraded` is false; it is
 *   *healthy* otherwise. `unknown` rounds are skipped: they neither count nor break a streak.
 * - **Open.** After `openAfter` (N) consecutive unhealthy rounds, an incident opens with the
 *   classification and affected regions of the confirming round. The streak counts unhealthy rounds,
 *   not one exact classification: `outage` then `masked_outage` is the same trouble seen two ways, and
 *   waiting for either to repeat would delay the page. Alternating healthy and unhealthy rounds never
 *   reach N = 2, so flapping never opens.
 * - **Per-region damping.** For `regional_outage`, `degraded` (version skew included) and
 *   `masked_outage`, the trouble must also have held *somewhere*: at least one of the confirming
 *   round's affected regions must have been affected in each of the last N decided rounds (each
 *   region's run is `RegionWatch.affectedRounds`). A slow region in one round and another slow
 *   region in the next is two passing blips, not an incident; the same region twice is. An
 *   `outage` keeps the monitor-wide streak alone: more than the quorum of regions down is its own
 *   confirmation, whichever regions they are.
 * - **Update.** While open, a classification or set of affected regions different from the
 *   incident's must hold for `updateAfter` (default N) consecutive rounds before `incident.updated`
 *   is sent: damped like opening, escalation and de-escalation alike, so a region jittering in and
 *   out of the affected set does not page every round. Per-region damping applies to updates too
 *   (with `updateAfter` rounds), though an exact classification and set of regions that held that
 *   long already implies it.
 * - **Resolve.** After `resolveAfter` (M) consecutive healthy rounds, the incident resolves. An
 *   unhealthy round in between starts the count again, so flapping never resolves either.
 * - **Regions.** A region without a usable answer for `blindAfter` (default N) consecutive rounds,
 *   `unknown` ones included, is reported `region.blind` once; answering again reports
 *   `region.restored` once.
 * - **Ids.** The incident id is `inc_<monitorId>_<scheduledAt of the round that opened it>`.
 *
 * @throws MonitorMismatchError when the state belongs to another monitor than the round.
 */
export function advanceIncident(
  state: MonitorIncidentState | undefined,
  round: IncidentRound,
  policyInput?: IncidentPolicyInput,
): IncidentTransition {
  const policy = incidentPolicySchema.parse(policyInput);
  const previous = state ?? initialIncidentState(round.monitorId);
  if (previous.monitorId !== round.monitorId) throw new MonitorMismatchError(previous.monitorId, round.monitorId);
  if (previous.lastRound !== null && round.scheduledAt <= previous.lastRound.scheduledAt) {
    return { state: previous, events: [], disposition: 'ignored' };
  }

  const ref: RoundRef = { roundId: round.roundId, scheduledAt: round.scheduledAt };
  const watched = watchRegions(previous.regions, round.reconciliation, ref, policy.blindAfter ?? policy.openAfter);
  const classification = round.reconciliation.classification;
  const base: MonitorIncidentState = { ...previous, lastRound: ref, regions: watched.regions };
  const step =
    classification === 'unknown'
      ? { state: base, events: [] as IncidentEvent[], disposition: 'neutral' as const }
      : { ...stepIncident(base, ref, round, classification, policy), disposition: 'applied' as const };

  const incidentAfter = step.state.incident;
  const regionEvents = watched.changes.map((change) => regionEvent(change, round, previous.incident, incidentAfter));
  return { state: step.state, events: [...step.events, ...regionEvents], disposition: step.disposition };
}

/** Counts a decided round and opens, updates or resolves the incident. */
function stepIncident(
  state: MonitorIncidentState,
  ref: RoundRef,
  round: IncidentRound,
  classification: DecidedClassification,
  policy: IncidentPolicy,
): { state: MonitorIncidentState; events: IncidentEvent[] } {
  const { affectedRegions, reason } = round.reconciliation;
  const subject = incidentSubject(classification, policy);
  const worthy = subject !== null;
  const health: HealthStreak =
    state.health !== null && state.health.health === (worthy ? 'unhealthy' : 'healthy')
      ? { ...state.health, rounds: state.health.rounds + 1 }
      : { health: worthy ? 'unhealthy' : 'healthy', rounds: 1, since: ref };
  const candidate: ClassificationStreak =
    state.candidate !== null && state.candidate.classification === classification && sameRegions(state.candidate.affectedRegions, affectedRegions)
      ? { ...state.candidate, rounds: state.candidate.rounds + 1 }
      : { classification, affectedRegions: [...affectedRegions], rounds: 1, since: ref };
  const regions = countAffectedRounds(state.regions, worthy ? affectedRegions : []);
  const next: MonitorIncidentState = { ...state, health, candidate, regions };
  const held = (rounds: number) => subject === 'outage' || affectedRegions.length === 0 || longestAffectedRun(regions, affectedRegions) >= rounds;
  const open = state.incident;
  const event = (type: IncidentEventType, incident: OpenIncident, after: OpenIncident | null, line: string): IncidentEvent => ({
    type,
    eventId: eventIdFor(round.monitorId, round.scheduledAt, type),
    incidentId: incident.id,
    monitorId: round.monitorId,
    roundId: round.roundId,
    at: round.scheduledAt,
    classificationBefore: open?.classification ?? null,
    classificationAfter: after?.classification ?? null,
    roundClassification: classification,
    severity: (after ?? incident).severity,
    affectedRegions: [...(after ?? incident).affectedRegions],
    affectedRegionsBefore: open ? [...open.affectedRegions] : [],
    blindRegions: [...round.reconciliation.blindRegions],
    region: null,
    reason: line,
  });

  if (open === null) {
    if (subject === null || health.rounds < policy.openAfter || !held(policy.openAfter)) return { state: next, events: [] };
    const incident: OpenIncident = {
      id: incidentIdFor(round.monitorId, round.scheduledAt),
      classification: subject,
      severity: severityOf(subject),
      affectedRegions: [...affectedRegions],
      startedAt: health.since.scheduledAt,
      openedAt: round.scheduledAt,
      openedRoundId: round.roundId,
      updatedAt: round.scheduledAt,
      reason,
    };
    const line = `${reason} (unhealthy for ${health.rounds} consecutive rounds)`;
    return { state: { ...next, incident }, events: [event('incident.opened', incident, incident, line)] };
  }

  if (subject === null) {
    if (health.rounds < policy.resolveAfter) return { state: next, events: [] };
    const line = `resolved after ${health.rounds} consecutive healthy rounds: ${reason}`;
    return { state: { ...next, incident: null }, events: [event('incident.resolved', open, null, line)] };
  }

  const unchanged = open.classification === subject && sameRegions(open.affectedRegions, affectedRegions);
  const updateAfter = policy.updateAfter ?? policy.openAfter;
  if (unchanged || candidate.rounds < updateAfter || !held(updateAfter)) return { state: next, events: [] };
  const incident: OpenIncident = {
    ...open,
    classification: subject,
    severity: severityOf(subject),
    affectedRegions: [...affectedRegions],
    updatedAt: round.scheduledAt,
    reason,
  };
  const was = `${open.classification.replaceAll('_', ' ')}${open.affectedRegions.length > 0 ? ` in ${open.affectedRegions.join(', ')}` : ''}`;
  const line = `${reason} (for ${candidate.rounds} consecutive rounds; was ${was})`;
  return { state: { ...next, incident }, events: [event('incident.updated', open, incident, line)] };
}

/** The classification as the subject of an incident, or `null` when the round counts as healthy. */
function incidentSubject(classification: DecidedClassification, policy: IncidentPolicy): IncidentClassification | null {
  if (classification === 'operational') return null;
  if (classification === 'degraded' && !policy.openOnDegraded) return null;
  return classification;
}

/** Affected regions come sorted from reconcile; compare as sets anyway, so a caller's order never fakes a change. */
function sameRegions(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((region) => set.has(region));
}

function regionEvent(change: RegionChange, round: IncidentRound, before: OpenIncident | null, after: OpenIncident | null): IncidentEvent {
  const rounds = `${change.missingRounds} consecutive round${change.missingRounds === 1 ? '' : 's'}`;
  const reason =
    change.type === 'region.blind'
      ? `region ${change.region} blind: no usable answer for ${rounds}${change.note ? ` (${change.note})` : ''}`
      : `region ${change.region} restored: answering again after ${rounds} without an answer`;
  return {
    type: change.type,
    eventId: eventIdFor(round.monitorId, round.scheduledAt, change.type, change.region),
    incidentId: after?.id ?? null,
    monitorId: round.monitorId,
    roundId: round.roundId,
    at: round.scheduledAt,
    classificationBefore: before?.classification ?? null,
    classificationAfter: after?.classification ?? null,
    roundClassification: round.reconciliation.classification,
    severity: after?.severity ?? null,
    affectedRegions: [change.region],
    affectedRegionsBefore: [],
    blindRegions: [...round.reconciliation.blindRegions],
    region: change.region,
    reason,
  };
}
