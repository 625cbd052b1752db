import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock } from '../core/clock';
import { timeOrderedId } from '../core/time-ordered-id';
import { notFound, problem } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { apiTokenHash, isTokenId, newApiToken, type ApiToken, type CreatedApiToken } from './api-token';
import { TokenLookup } from './token-lookup.service';
import { parseTokenInput } from './token-input';
import { MAX_API_TOKENS, TokensRepository, type TokenPage } from './tokens.repository';

/** API token use cases: create (the token shown once), list, read, revoke. */
@Injectable()
export class TokensService {
  private readonly logger: Logger;

  constructor(
    @Inject(TokensRepository) private readonly repository: TokensRepository,
    @Inject(TokenLookup) private readonly lookup: TokenLookup,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'tokens' });
  }

  /** Creates a token; only this answer carries it (Redis keeps its SHA-256). */
  async create(body: unknown): Promise<CreatedApiToken> {
    const input = parseTokenInput(body);
    const createdAt = new Date(this.clock.now()).toISOString();
    for (let attempt = 0; attempt < 3; attempt++) {
      const record = { id: timeOrderedId('tok', this.clock.now()), name: input.name, scope: input.scope, createdAt };
      const token = newApiToken();
      const outcome = await this.repository.create(record, apiTokenHash(token));
      if (outcome === 'full') {
        throw new HttpException(
          problem(HttpStatus.CONFLICT, `there are already ${MAX_API_TOKENS} tokens, the most that may exist; revoke some first`),
          HttpStatus.CONFLICT,
        );
      }
      if (outcome === 'taken') continue; // 50 random bits of id collided: draw again
      this.logger.info({ tokenId: record.id, scope: record.scope }, 'api token created');
      return { ...record, lastUsedAt: null, token };
    }
    throw new Error('could not allocate a token id');
  }

  async list(limit: number, cursor?: string): Promise<TokenPage> {
    return this.repository.list(limit, cursor);
  }

  async get(tokenId: string): Promise<ApiToken> {
    const token = isTokenId(tokenId) ? await this.repository.get(tokenId) : null;
    if (!token) throw notFound(`token ${tokenId} not found`);
    return token;
  }

  /** Revokes a token: refused here from the next request on, on other coordinators within `TOKEN_CACHE_TTL_MS`. */
  async revoke(tokenId: string): Promise<void> {
    if (!isTokenId(tokenId) || !(await this.repository.delete(tokenId))) throw notFound(`token ${tokenId} not found`);
    this.lookup.forget(tokenId);
    this.logger.info({ tokenId }, 'api token revoked');
  }
}
