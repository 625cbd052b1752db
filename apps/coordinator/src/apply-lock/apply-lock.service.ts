import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { applyLockRenewalSchema, applyLockRequestSchema, type ApplyLockGrant, type ApplyLockHolder, type ApplyLockStatus } from '@crosscheck/contract';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { parseBody } from '../http/parse-body';
import { notFound, problem } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { ApplyLockRepository, holderOf, type ApplyLockRecord } from './apply-lock.repository';

/** What a lock token looks like: 32 base64url characters (24 random bytes). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/**
 * The configuration apply lock, as `crosscheck apply` uses it (as Terraform locks its state): an
 * apply takes it before it re-reads the revisions its plan was made from and writes, and releases
 * it when done, so a second apply finds it held and writes nothing instead of interleaving its
 * writes with the first one's. It is advisory: other API clients are kept safe by `If-Match`.
 */
@Injectable()
export class ApplyLockService {
  private readonly logger: Logger;

  constructor(
    @Inject(ApplyLockRepository) private readonly repository: ApplyLockRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'apply-lock' });
  }

  /** Takes the lock; a 409 naming its holder when someone has it. */
  async acquire(body: unknown): Promise<ApplyLockGrant> {
    const { holder, ttlSeconds } = parseBody(applyLockRequestSchema, body, 'invalid lock request');
    const record = this.recordOf(randomBytes(24).toString('base64url'), holder, this.clock.now(), ttlSeconds);
    const outcome = await this.repository.acquire(record, ttlSeconds * 1_000);
    if (!outcome.acquired) throw held(outcome.holder);
    this.logger.info({ holder, ttlSeconds }, 'apply lock taken');
    return record;
  }

  /** Extends the lease of the lock `token` holds; 409 when it holds it no more. */
  async renew(token: string, body: unknown): Promise<ApplyLockGrant> {
    const { ttlSeconds } = parseBody(applyLockRenewalSchema, body ?? {}, 'invalid lock renewal');
    const current = TOKEN_PATTERN.test(token) ? await this.repository.current() : null;
    if (current === null || current.token !== token) throw lost(current);
    const record = this.recordOf(token, current.holder, Date.parse(current.acquiredAt), ttlSeconds);
    if (!(await this.repository.renew(record, ttlSeconds * 1_000))) throw lost(await this.repository.current());
    return record;
  }

  /** Releases the lock `token` holds; 404 when it holds it no more (released, or expired). */
  async release(token: string): Promise<void> {
    if (!TOKEN_PATTERN.test(token) || !(await this.repository.release(token))) {
      throw notFound('this token holds no apply lock (released already, or its lease expired)');
    }
    this.logger.info('apply lock released');
  }

  async status(): Promise<ApplyLockStatus> {
    const current = await this.repository.current();
    return current === null ? { held: false } : { held: true, ...holderOf(current) };
  }

  private recordOf(token: string, holder: string, acquiredAt: number, ttlSeconds: number): ApplyLockRecord {
    const now = this.clock.now();
    return { token, holder, acquiredAt: new Date(acquiredAt).toISOString(), expiresAt: new Date(now + ttlSeconds * 1_000).toISOString() };
  }
}

function held(holder: ApplyLockHolder): HttpException {
  return new HttpException(
    { ...problem(HttpStatus.CONFLICT, `the configuration is locked by ${holder.holder} since ${holder.acquiredAt} (until ${holder.expiresAt})`), lock: holder },
    HttpStatus.CONFLICT,
  );
}

function lost(current: ApplyLockRecord | null): HttpException {
  const now = current === null ? 'nobody holds it now' : `${current.holder} holds it now`;
  return new HttpException(problem(HttpStatus.CONFLICT, `this token holds the apply lock no more (its lease expired or it was released); ${now}`), HttpStatus.CONFLICT);
}
