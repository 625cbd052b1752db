import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { problem } from '../http/problem';
import { IS_PUBLIC } from './public.decorator';

/**
 * Requires `Authorization: Bearer <API_TOKEN>` on every route not marked {@link Public}. Tokens are
 * compared as SHA-256 digests with `timingSafeEqual`: constant time, and the length of the token
 * leaks nothing either.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
  ) {
    this.expected = digest(config.apiToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const http = context.switchToHttp();
    const header = http.getRequest<IncomingMessage>().headers.authorization;
    const match = header === undefined ? null : /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (match?.[1] && timingSafeEqual(digest(match[1]), this.expected)) return true;
    http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer realm="crosscheck"');
    throw new HttpException(
      problem(HttpStatus.UNAUTHORIZED, header === undefined ? 'missing bearer token' : 'invalid bearer token'),
      HttpStatus.UNAUTHORIZED,
    );
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
