import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TokensModule } from '../tokens/tokens.module';
import { BearerTokenGuard } from './bearer-token.guard';
import { RateLimiter } from './rate-limiter';

/** The bearer token guard (rate limits, tokens, scopes), on every route of the app. */
@Module({
  imports: [TokensModule],
  providers: [RateLimiter, { provide: APP_GUARD, useClass: BearerTokenGuard }],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class AuthModule {}
