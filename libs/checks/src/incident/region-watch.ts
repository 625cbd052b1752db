import type { Reconciliation } from '../reconcile/reconciliation';
import type { RegionWatch, RoundRef } from './monitor-incident-state';

/** A region that became blind, or came back, in this round. */
export interface RegionChange {
  type: 'region.blind' | 'region.restored';
  region: string;
  /** Consecutive rounds without an answer: so far (blind), or before it answered again (restored). */
  missingRounds: number;
  /** Why the region is silent, when the round said (blind only). */
  note: string | null;
}

/**
 * Follows each expected region across rounds: one without a usable answer for `blindAfter`
 * consecutive rounds is reported blind once; when it answers again it is reported restored once.
 * Every round counts, `unknown` ones included: silence is a fact whatever the classification.
 * A region no longer expected by the round is forgotten without an event.
 */
export function watchRegions(
  previous: Readonly<Record<string, RegionWatch>>,
  reconciliation: Pick<Reconciliation, 'blindRegions' | 'evidence'>,
  round: RoundRef,
  blindAfter: number,
): { regions: Record<string, RegionWatch>; changes: RegionChange[] } {
  const blind = new Set(reconciliation.blindRegions);
  const expected = [...new Set([...Object.keys(reconciliation.evidence), ...blind])].sort();
  const regions: Record<string, RegionWatch> = {};
  const changes: RegionChange[] = [];
  for (const region of expected) {
    const before = previous[region] ?? { missingRounds: 0, blindSince: null };
    const affectedRounds = before.affectedRounds ?? 0;
    if (blind.has(region)) {
      const missingRounds = before.missingRounds + 1;
      const reported = before.blindSince === null && missingRounds >= blindAfter;
      regions[region] = { missingRounds, blindSince: reported ? round : before.blindSince, affectedRounds };
      if (reported) changes.push({ type: 'region.blind', region, missingRounds, note: reconciliation.evidence[region]?.note ?? null });
    } else {
      regions[region] = { missingRounds: 0, blindSince: null, affectedRounds };
      if (before.blindSince !== null) changes.push({ type: 'region.restored', region, missingRounds: before.missingRounds, note: null });
    }
  }
  return { regions, changes };
}

/**
 * Counts, per region, the consecutive incident-worthy decided rounds it was affected in: `affected`
 * are the round's affected regions when the round is incident-worthy, none when it is healthy (every
 * count starts over). Call it for decided rounds only: `unknown` rounds leave the counts as they are.
 */
export function countAffectedRounds(regions: Readonly<Record<string, RegionWatch>>, affected: readonly string[]): Record<string, RegionWatch> {
  const hit = new Set(affected);
  return Object.fromEntries(
    Object.entries(regions).map(([region, watch]) => [region, { ...watch, affectedRounds: hit.has(region) ? (watch.affectedRounds ?? 0) + 1 : 0 }]),
  );
}

/** The longest run of consecutive affected rounds among `affected` (0 when none is known). */
export function longestAffectedRun(regions: Readonly<Record<string, RegionWatch>>, affected: readonly string[]): number {
  return affected.reduce((most, region) => Math.max(most, regions[region]?.affectedRounds ?? 0), 0);
}
