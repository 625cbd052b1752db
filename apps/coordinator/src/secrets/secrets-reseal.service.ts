import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { resealReportSchema, storeResealReportSchema } from '@crosscheck/contract';
import type { z } from 'zod';
import { Clock } from '../core/clock';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { isRedisUnavailable } from '../redis/redis-unavailable';

/** Writes of one store's sealed values again under the current key (`storeResealReportSchema`). */
export type StoreResealReport = z.output<typeof storeResealReportSchema>;

/** `POST /v1/secrets/reseal`, and what the boot pass logs (`resealReportSchema`). */
export type ResealReport = z.output<typeof resealReportSchema>;

/** A record that changed between the read and the write is read again this many times. */
const ATTEMPTS = 5;
/** Failures named one by one in the report; the rest are counted. */
const MAX_FAILURES_LISTED = 100;

/**
 * Key rotation: writes every sealed secret that is not sealed under the current `SECRETS_KEY`
 * again under it (and seals those still in clear), once at boot in the background and on demand
 * (`POST /v1/secrets/reseal`, admin). Safe with several coordinators at once: each write is a
 * compare-and-set on the record's revision, and a value already current is left alone.
 */
@Injectable()
export class SecretsReseal implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'secrets' });
  }

  onApplicationBootstrap(): void {
    // In the background: a large store must not hold up the API, and values under a previous key still open meanwhile.
    void this.reseal().then(
      (report) => this.log(report),
      (error: unknown) => {
        if (isRedisUnavailable(error)) this.logger.warn({ err: error }, 'secrets re-seal pass skipped: Redis is unavailable; run POST /v1/secrets/reseal later');
        else this.logger.error({ err: error }, 'secrets re-seal pass failed; run POST /v1/secrets/reseal to retry');
      },
    );
  }

  /** One pass over every store; what it wrote and what it could not. */
  async reseal(): Promise<ResealReport> {
    const monitors: StoreResealReport = { resealed: 0, failedCount: 0, failed: [] };
    for await (const id of this.monitors.needingReseal()) {
      const outcome = await this.resealMonitor(id);
      if (outcome === true) monitors.resealed += 1;
      else if (outcome !== false) {
        monitors.failedCount += 1;
        if (monitors.failed.length < MAX_FAILURES_LISTED) monitors.failed.push({ id, reason: outcome });
      }
    }
    return { monitors };
  }

  /** `true` when written again, `false` when nothing was left to do, else why it failed. */
  private async resealMonitor(id: string): Promise<boolean | string> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const outcome = await this.monitors.reseal(id, this.clock.now());
        if (outcome === 'resealed') return true;
        if (outcome !== 'conflict') return false;
      } catch (error) {
        if (isRedisUnavailable(error)) throw error;
        return error instanceof Error ? error.message : String(error);
      }
    }
    return `changed ${ATTEMPTS} times while being re-sealed; run the pass again`;
  }

  private log(report: ResealReport): void {
    const { resealed, failed, failedCount } = report.monitors;
    if (failedCount > 0) {
      this.logger.error(
        { resealed, failedCount, failed: failed.slice(0, 10) },
        'some monitor secrets cannot be opened with SECRETS_KEY or SECRETS_KEY_PREVIOUS: their checks fail until the key that sealed them is configured',
      );
    } else if (resealed > 0) {
      this.logger.info({ resealed }, 'monitor secrets re-sealed under the current SECRETS_KEY');
    } else {
      this.logger.info('every monitor secret is sealed under the current SECRETS_KEY');
    }
  }
}
