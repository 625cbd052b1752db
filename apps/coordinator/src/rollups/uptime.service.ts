import { Inject, Injectable } from '@nestjs/common';
import type { Classification } from '@crosscheck/checks';
import type { SeriesReport, SeriesStep, UptimeReport, UptimeWindow } from '@crosscheck/contract';
import { Clock } from '../core/clock';
import { RoundsRepository } from '../results/rounds.repository';

/*
 * INTERIM (status-pages branch): a stand-in for the rollups' UptimeService (issue 11 contract,
 * part A) that status pages compile and run against until the rollups land. It re-reads the
 * monitor's result history (bounded, so long windows are only as long as the history is) and
 * approximates each round's classification from its regions' statuses. The rollups replace it.
 */

const WINDOW_MS: Record<UptimeWindow, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000, '365d': 365 * 86_400_000 };
const STEP_MS: Record<SeriesStep, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000 };
const DEFAULT_STEP: Record<UptimeWindow, SeriesStep> = { '1h': '1m', '24h': '15m', '7d': '1h', '30d': '6h', '90d': '1d', '365d': '1d' };
const RESOLUTION: Record<UptimeWindow, UptimeReport['resolution']> = { '1h': 'minute', '24h': 'minute', '7d': 'hour', '30d': 'hour', '90d': 'hour', '365d': 'day' };
const MAX_ENTRIES = 20_000;
const PAGE = 1_000;
const EXCLUDED_REASON = 'rounds classified unknown (every region missing, or too few answered) count neither as up nor as down';

interface RoundSeen {
  scheduledAt: number;
  classification: Classification;
}

@Injectable()
export class UptimeService {
  constructor(
    @Inject(RoundsRepository) private readonly rounds: RoundsRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async uptime(monitorId: string, window: UptimeWindow): Promise<UptimeReport> {
    const to = this.clock.now();
    const from = to - WINDOW_MS[window];
    const seen = await this.roundsIn(monitorId, from);
    const counted = seen.filter((round) => round.classification !== 'unknown');
    const up = counted.filter((round) => isUp(round.classification)).length;
    const degraded = counted.filter((round) => round.classification === 'degraded').length;
    const classificationMinutes: Partial<Record<Classification, number>> = {};
    for (const round of seen) classificationMinutes[round.classification] = (classificationMinutes[round.classification] ?? 0) + 1;
    return {
      window,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      resolution: RESOLUTION[window],
      uptimeRatio: counted.length === 0 ? null : up / counted.length,
      degradedRatio: counted.length === 0 ? null : degraded / counted.length,
      incidentMinutes: 0,
      rounds: { counted: counted.length, up, down: counted.length - up, excluded: seen.length - counted.length },
      excluded: { rounds: seen.length - counted.length, reason: EXCLUDED_REASON },
      classificationMinutes,
      regions: {},
    };
  }

  async series(monitorId: string, window: UptimeWindow, step: SeriesStep = DEFAULT_STEP[window]): Promise<SeriesReport> {
    const to = this.clock.now();
    const from = to - WINDOW_MS[window];
    const stepMs = STEP_MS[step];
    const seen = await this.roundsIn(monitorId, from);
    const points: SeriesReport['points'] = [];
    for (let at = Math.floor(from / stepMs) * stepMs; at <= to; at += stepMs) {
      const inStep = seen.filter((round) => round.scheduledAt >= at && round.scheduledAt < at + stepMs);
      const counted = inStep.filter((round) => round.classification !== 'unknown');
      const up = counted.filter((round) => isUp(round.classification)).length;
      const classifications: Partial<Record<Classification, number>> = {};
      for (const round of inStep) classifications[round.classification] = (classifications[round.classification] ?? 0) + 1;
      points.push({
        at: new Date(at).toISOString(),
        rounds: inStep.length,
        up,
        down: counted.length - up,
        excluded: inStep.length - counted.length,
        uptimeRatio: counted.length === 0 ? null : up / counted.length,
        incidentMinutes: 0,
        worst: worstOf(inStep.map((round) => round.classification)),
        classifications,
        regions: {},
      });
    }
    return { window, step, from: new Date(from).toISOString(), to: new Date(to).toISOString(), resolution: RESOLUTION[window], points };
  }

  /** The monitor's rounds since `from`, each classified from its regions' statuses. */
  private async roundsIn(monitorId: string, from: number): Promise<RoundSeen[]> {
    const byRound = new Map<string, { scheduledAt: number; statuses: string[] }>();
    let cursor: string | undefined;
    let read = 0;
    do {
      const page = await this.rounds.history(monitorId, { since: from, limit: PAGE, ...(cursor !== undefined ? { cursor } : {}) });
      for (const item of page.items) {
        const round = byRound.get(item.roundId) ?? { scheduledAt: item.scheduledAt, statuses: [] };
        round.statuses.push(item.status);
        byRound.set(item.roundId, round);
      }
      read += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined && read < MAX_ENTRIES);
    return [...byRound.values()].filter((round) => round.scheduledAt >= from).map((round) => ({ scheduledAt: round.scheduledAt, classification: classify(round.statuses) }));
  }
}

function classify(statuses: readonly string[]): Classification {
  const answered = statuses.filter((status) => status !== 'missing');
  if (answered.length === 0) return 'unknown';
  const down = answered.filter((status) => status === 'down').length;
  if (down === 0) return answered.includes('degraded') ? 'degraded' : 'operational';
  return down === answered.length ? 'outage' : 'regional_outage';
}

function isUp(classification: Classification): boolean {
  return classification === 'operational' || classification === 'degraded';
}

const WORST_FIRST: readonly Classification[] = ['outage', 'masked_outage', 'regional_outage', 'degraded', 'unknown', 'operational'];

function worstOf(classifications: readonly Classification[]): Classification | null {
  return WORST_FIRST.find((classification) => classifications.includes(classification)) ?? null;
}
