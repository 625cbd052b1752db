import { Inject, Injectable } from '@nestjs/common';
import { checkResultSchema, type CheckResult, type ResultBatch } from '@crosscheck/contract';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RoundFinalizer } from './round-finalizer.service';
import { RoundsRepository, type StoreOutcome } from './rounds.repository';

/** What handling one result job came to (its BullMQ return value). */
export type IntakeOutcome = StoreOutcome['kind'] | 'stored_and_finalized';

/** What handling one batch job came to (its BullMQ return value): each result's outcome, in order. */
export interface BatchIntakeOutcome {
  outcomes: (IntakeOutcome | 'malformed' | 'wrong_region')[];
  /** Why each refused result was refused, by its index in the batch. */
  refused: { index: number; problem: string }[];
}

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

  /**
   * Handles each result of a batch job as a job of its own: a result that is malformed or claims
   * another region is refused (and logged) alone, the others are stored. When Redis fails on any
   * of them the job throws once all have settled, and BullMQ retries the whole batch: the results
   * already stored come back as `duplicate`, so none is lost and none is stored twice.
   */
  async processBatch(region: string, batch: ResultBatch, job: Job): Promise<BatchIntakeOutcome> {
    const refused: BatchIntakeOutcome['refused'] = [];
    const settled = await Promise.allSettled(
      batch.results.map(async (candidate, index): Promise<BatchIntakeOutcome['outcomes'][number]> => {
        const parsed = checkResultSchema.safeParse(candidate);
        if (!parsed.success) {
          const problem = parsed.error.issues
            .slice(0, 5)
            .map((issue) => `${issue.path.join('.') || '(result)'}: ${issue.message}`)
            .join('; ');
          this.logger.warn({ region, jobId: job.id, index, problem }, 'malformed result in a batch refused; the others are stored');
          refused.push({ index, problem });
          return 'malformed';
        }
        try {
          return (await this.process(region, parsed.data, job)).outcome;
        } catch (error) {
          if (!(error instanceof UnrecoverableError)) throw error;
          refused.push({ index, problem: error.message });
          return 'wrong_region';
        }
      }),
    );
    const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    return {
      outcomes: settled.map((outcome) => (outcome as PromiseFulfilledResult<BatchIntakeOutcome['outcomes'][number]>).value),
      refused: refused.sort((a, b) => a.index - b.index),
    };
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
