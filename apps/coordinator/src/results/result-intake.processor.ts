import { Inject, Injectable } from '@nestjs/common';
import type { CheckResult } from '@crosscheck/contract';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RoundFinalizer } from './round-finalizer.service';
import { RoundsRepository, type StoreOutcome } from './rounds.repository';

/** What handling one result job came to (its BullMQ return value). */
export type IntakeOutcome = StoreOutcome['kind'] | 'stored_and_finalized';

/**
 * Handles one job of a region's `results` queue, its payload parsed by the job registry where it
 * arrived (a malformed one fails for good, never retried): checks its region, stores it once, and finalizes the round when it was the last
 * expected region. A Redis failure throws and BullMQ retries the job.
 */
@Injectable()
export class ResultIntakeProcessor {
  private readonly logger: Logger;

  constructor(
    @Inject(RoundsRepository) private readonly rounds: RoundsRepository,
    @Inject(RoundFinalizer) private readonly finalizer: RoundFinalizer,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'result-intake' });
  }

  async process(region: string, result: CheckResult, job: Job): Promise<{ outcome: IntakeOutcome }> {
    // A region's agents can only write their own region's queues (ACL); a result claiming another
    // region is not to be believed.
    if (result.region !== region) {
      this.logger.warn({ region, claimedRegion: result.region, jobId: job.id }, 'result for another region rejected');
      throw new UnrecoverableError(`result of region "${result.region}" arrived on the queue of region "${region}"`);
    }
    const log = this.logger.child({ monitorId: result.monitorId, roundId: result.roundId, region });
    const scheduledAt = scheduledAtOfRound(result.roundId, result.monitorId);
    if (scheduledAt === null) {
      log.warn({ jobId: job.id }, 'result names no round of its monitor; ignored');
      return { outcome: 'unknown_round' };
    }

    const stored = await this.rounds.storeResult(result, scheduledAt);
    if (stored.kind !== 'stored') {
      // Duplicates are expected (retried agents); the rest are results of deleted monitors or expired rounds.
      (stored.kind === 'duplicate' ? log.debug.bind(log) : log.info.bind(log))({ outcome: stored.kind }, 'result not stored');
      return { outcome: stored.kind };
    }
    log.debug({ status: result.verdict.status, answered: stored.answered, expected: stored.expected, late: stored.late }, 'result stored');
    if (stored.answered >= stored.expected && !stored.late) {
      const summary = await this.finalizer.finalize(result.roundId, result.monitorId, 'all_answered');
      if (summary) return { outcome: 'stored_and_finalized' };
    }
    return { outcome: 'stored' };
  }
}

/** `roundIdFor(monitorId, scheduledAt)` read backwards; `null` when the round id is not the monitor's. */
function scheduledAtOfRound(roundId: string, monitorId: string): number | null {
  const prefix = `${monitorId}-`;
  if (!roundId.startsWith(prefix)) return null;
  const rest = roundId.slice(prefix.length);
  if (!/^\d{1,16}$/.test(rest)) return null;
  return Number(rest);
}
