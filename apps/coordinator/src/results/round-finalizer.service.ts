import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AgentsRepository } from '../agents/agents.repository';
import { IncidentTransitions } from '../incidents/incident-transitions.service';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { FinalizedBy, RoundSummary } from './round';
import { RoundsRepository } from './rounds.repository';

/**
 * Closes rounds: when every expected region has answered, or at the deadline, whichever comes
 * first. The close itself is one Lua script (`RoundsRepository.finalize`), so however many
 * coordinators and deadline jobs race, exactly one caller gets the summary and runs
 * {@link RoundFinalizer.onRoundFinalized}, which applies the round to its monitor's incidents.
 *
 * Finalizing and applying are two steps: a coordinator can die (or Redis blink) between them. The
 * round's deadline job closes that gap: it fires at the deadline whether or not the round was
 * finalized before, and applies the transition of a finalized round that has none yet. Applying is
 * idempotent (the monitor's incident state keeps the latest round applied, committed with the
 * transition, and refuses that round and older ones), so doing it twice is harmless.
 */
@Injectable()
export class RoundFinalizer {
  private readonly logger: Logger;

  constructor(
    @Inject(RoundsRepository) private readonly rounds: RoundsRepository,
    @Inject(AgentsRepository) private readonly agents: AgentsRepository,
    @Inject(IncidentTransitions) private readonly transitions: IncidentTransitions,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'round-finalizer' });
  }

  /**
   * Finalizes the round if nobody has; returns its summary to the caller that did. At the deadline,
   * also applies a finalized round's transition left unapplied; there, a failure to apply throws, so
   * that the deadline job is retried.
   */
  async finalize(roundId: string, monitorId: string, by: FinalizedBy): Promise<RoundSummary | null> {
    const reasons = by === 'deadline' ? await this.missingReasons(roundId) : {};
    const summary = await this.rounds.finalize(roundId, monitorId, by, reasons);
    if (!summary) {
      if (by === 'deadline') await this.transitions.applyIfPending(monitorId, roundId);
      return null;
    }
    const missing = Object.entries(summary.regions)
      .filter(([, report]) => report.status === 'missing')
      .map(([region]) => region);
    this.logger.info(
      { monitorId, roundId, finalizedBy: by, complete: summary.complete, missing, tookMs: summary.finalizedAt - summary.scheduledAt },
      'round finalized',
    );
    try {
      await this.onRoundFinalized(summary);
    } catch (error) {
      // The round is final whatever the hook does. Its deadline job applies the transition later:
      // this very job when retried (hence the rethrow), or the one still due after an early finalize.
      this.logger.error({ err: error, monitorId, roundId }, 'applying the round to incidents failed; its deadline job retries');
      if (by === 'deadline') throw error;
    }
    return summary;
  }

  /**
   * Called once per round, by the coordinator that finalized it, with the summary (missing regions
   * included): reconciles the round and applies it to the monitor's incident state.
   */
  async onRoundFinalized(round: RoundSummary): Promise<void> {
    await this.transitions.apply(round);
  }

  /** Why each silent region is silent, as far as heartbeats tell: blind, or live agents that did not answer. */
  private async missingReasons(roundId: string): Promise<Record<string, string>> {
    const round = await this.rounds.get(roundId);
    if (!round) return {};
    const silent = round.regions.filter((region) => !round.answeredRegions.includes(region));
    if (silent.length === 0) return {};
    const coverage = await this.agents.coverage(silent);
    const deadline = new Date(round.deadline).toISOString();
    return Object.fromEntries(
      silent.map((region) => {
        const live = coverage[region]?.liveAgents ?? 0;
        return [
          region,
          live === 0
            ? `no result before the deadline (${deadline}): no live agent in region ${region} (region blind)`
            : `no result before the deadline (${deadline}) although ${live} agent(s) of region ${region} are live: busy, slow or backlogged`,
        ];
      }),
    );
  }
}
