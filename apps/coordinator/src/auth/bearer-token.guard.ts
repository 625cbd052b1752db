import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import {
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_RATE_LIMIT_PER_MINUTE_PER_ADDRESS,
  type CoordinatorConfig,
} from '../config/coordinator-config';
import { withTimeout } from '../core/with-timeout';
import { problem } from '../http/problem';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { API_TOKEN_PATTERN } from '../tokens/api-token';
import { TokenLookup } from '../tokens/token-lookup.service';
import { BOOTSTRAP_TOKEN_ID, rememberCaller, type Caller } from './caller';
import { clientAddressOf } from './client-address';
import { IS_PUBLIC, OWN_AUTHENTICATION } from './public.decorator';
import { RateLimiter, type RateDecision } from './rate-limiter';
import { defaultScopeOf, REQUIRED_SCOPE, scopeCovers, type TokenScope } from './scope.decorator';

/**
 * A rate limit that cannot be counted within this (Redis slow or away) lets the request through:
 * the limiter must not turn a Redis outage into a slower one, nor hide `/health`'s answer.
 */
const RATE_LIMIT_TIMEOUT_MS = 1_000;

/** One limit a request counts against. */
interface RateLimit {
  subject: string;
  perMinute: number;
  /** Who the limit is for, in the 429's message. */
  holder: string;
}

/**
 * Every request, in this order:
 * 1. its bearer token resolved: `API_TOKEN` (compared as SHA-256 digests with `timingSafeEqual`:
 *    constant time, and the token's length leaks nothing either) is the bootstrap admin; a `cct_`
 *    token is looked up by its SHA-256;
 * 2. counted against its client address and its token (`429` with `Retry-After` past a limit),
 *    whatever the route and whether the token is valid, so that guessing tokens is limited too;
 * 3. on routes not marked {@link Public}: `401` without a valid token, `403` naming the scope the
 *    route needs when the token's scope does not cover it (GET and HEAD need `read`, other methods
 *    `write`, routes marked `@RequireScope('admin')` `admin`).
 * The caller is remembered for the request ({@link callerOf}), so public routes may show more to it.
 * Routes marked `@OwnAuthentication()` (`/metrics`) are left to themselves: no token, no limit.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly expected: Buffer;
  private readonly perToken: number;
  private readonly perAddress: number;
  private readonly logger: Logger;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(TokenLookup) private readonly tokens: TokenLookup,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.expected = digest(config.apiToken);
    this.perToken = config.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
    this.perAddress = config.rateLimitPerMinutePerAddress ?? DEFAULT_RATE_LIMIT_PER_MINUTE_PER_ADDRESS;
    this.logger = logger.child({ component: 'auth' });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(OWN_AUTHENTICATION, targets) === true) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) ?? false;
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<ServerResponse>();

    const header = request.headers.authorization;
    const presented = header === undefined ? null : (/^Bearer[ ]+(\S+)\s*$/i.exec(header)?.[1] ?? null);
    const caller = presented === null ? null : await this.identify(presented, isPublic);
    await this.limit(request, response, caller);
    if (caller) rememberCaller(request, caller);
    if (isPublic) return true;

    if (!caller) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="crosscheck"');
      throw new HttpException(
        problem(HttpStatus.UNAUTHORIZED, header === undefined ? 'missing bearer token' : 'invalid bearer token'),
        HttpStatus.UNAUTHORIZED,
      );
    }
    const needed = this.reflector.getAllAndOverride<TokenScope | undefined>(REQUIRED_SCOPE, targets) ?? defaultScopeOf(request.method);
    if (!scopeCovers(caller.scope, needed)) {
      throw new HttpException(
        problem(HttpStatus.FORBIDDEN, `this route needs the "${needed}" scope; the token has "${caller.scope}"`),
        HttpStatus.FORBIDDEN,
      );
    }
    return true;
  }

  /**
   * The caller a presented token stands for; `null` when it is no token. On a public route a
   * token that cannot be checked (Redis away) counts as none: the route answers what it tells
   * anyone. Elsewhere the error answers (503 when Redis is away).
   */
  private async identify(presented: string, isPublic: boolean): Promise<Caller | null> {
    if (timingSafeEqual(digest(presented), this.expected)) return { tokenId: BOOTSTRAP_TOKEN_ID, scope: 'admin' };
    if (!API_TOKEN_PATTERN.test(presented)) return null;
    try {
      const grant = await this.tokens.find(presented);
      if (!grant) return null;
      this.tokens.noteUse(grant);
      return { tokenId: grant.id, scope: grant.scope };
    } catch (error) {
      if (isPublic) return null;
      throw error;
    }
  }

  private async limit(request: IncomingMessage, response: ServerResponse, caller: Caller | null): Promise<void> {
    const limits: RateLimit[] = [];
    const address = clientAddressOf(request.socket.remoteAddress);
    if (this.perAddress > 0 && address !== null) limits.push({ subject: `address:${address}`, perMinute: this.perAddress, holder: 'this client address' });
    if (this.perToken > 0 && caller) limits.push({ subject: `token:${caller.tokenId}`, perMinute: this.perToken, holder: 'this token' });
    if (limits.length === 0) return;

    const decisions = await Promise.all(limits.map(async (limit) => [limit, await this.decide(limit)] as const));
    let refused: { limit: RateLimit; retryAfterMs: number } | undefined;
    for (const [limit, decision] of decisions) {
      if (!decision.allowed && (refused === undefined || decision.retryAfterMs > refused.retryAfterMs)) {
        refused = { limit, retryAfterMs: decision.retryAfterMs };
      }
    }
    if (refused === undefined) return;
    const seconds = Math.max(1, Math.ceil(refused.retryAfterMs / 1_000));
    response.setHeader('Retry-After', String(seconds));
    throw new HttpException(
      problem(
        HttpStatus.TOO_MANY_REQUESTS,
        `rate limit of ${refused.limit.perMinute} requests per minute for ${refused.limit.holder} exceeded; retry in ${seconds} s`,
      ),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  private async decide(limit: RateLimit): Promise<RateDecision> {
    try {
      return await withTimeout(this.limiter.consume(limit.subject, limit.perMinute), RATE_LIMIT_TIMEOUT_MS, 'rate limit');
    } catch (error) {
      this.logger.debug({ err: error, subject: limit.subject }, 'rate limit not counted; request let through');
      return { allowed: true };
    }
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
