import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { apiTokenHash, type TokenGrant } from './api-token';
import { TokensRepository } from './tokens.repository';

/**
 * How long a coordinator trusts a token it has looked up without asking Redis again. The
 * coordinator that revokes a token forgets it at once; every other coordinator refuses it within
 * this bound.
 */
export const TOKEN_CACHE_TTL_MS = 5_000;
/** Tokens held in the cache at most (the oldest go first). */
const TOKEN_CACHE_MAX = 10_000;
/** A coordinator writes a token's `lastUsedAt` at most this often: a write per minute, not per request. */
export const TOKEN_USE_RECORD_INTERVAL_MS = 60_000;

interface CachedGrant {
  grant: TokenGrant;
  expiresAt: number;
}

/**
 * Resolves a `cct_` token to its grant by the token's SHA-256, with a short in-memory cache
 * (positive answers only, so a cache full of guesses cannot crowd out real tokens: a token
 * nobody has made costs one GET, no dearer than the rate limit's own count), and records when
 * tokens are used.
 */
@Injectable()
export class TokenLookup {
  private readonly cache = new Map<string, CachedGrant>();
  private readonly recordedAt = new Map<string, number>();
  private readonly logger: Logger;

  constructor(
    @Inject(TokensRepository) private readonly repository: TokensRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'tokens' });
  }

  /** The grant of `token`; `null` when no such token exists (or it was revoked). */
  async find(token: string): Promise<TokenGrant | null> {
    const hash = apiTokenHash(token);
    const now = this.clock.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.grant;
    this.cache.delete(hash);
    const grant = await this.repository.findByHash(hash);
    if (grant) bounded(this.cache, TOKEN_CACHE_MAX).set(hash, { grant, expiresAt: now + TOKEN_CACHE_TTL_MS });
    return grant;
  }

  /** Drops a revoked token from this coordinator's cache, so that its next request here is refused. */
  forget(tokenId: string): void {
    for (const [hash, cached] of this.cache) if (cached.grant.id === tokenId) this.cache.delete(hash);
    this.recordedAt.delete(tokenId);
  }

  /** Notes a request carrying the token; writes `lastUsedAt` when this coordinator has not for a minute. Never waits. */
  noteUse(grant: TokenGrant): void {
    const now = this.clock.now();
    const last = this.recordedAt.get(grant.id);
    if (last !== undefined && now - last < TOKEN_USE_RECORD_INTERVAL_MS) return;
    bounded(this.recordedAt, TOKEN_CACHE_MAX).set(grant.id, now);
    this.repository.recordUse(grant.id, new Date(now).toISOString()).catch((error: unknown) => {
      // Only a bookkeeping write: the request goes on; the next use tries again.
      this.recordedAt.delete(grant.id);
      this.logger.warn({ err: error, tokenId: grant.id }, 'could not record a token use');
    });
  }
}

/** `map`, its oldest entry dropped when it is full (Maps iterate in insertion order). */
function bounded<K, V>(map: Map<K, V>, max: number): Map<K, V> {
  if (map.size >= max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  return map;
}
