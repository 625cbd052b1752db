import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BearerTokenGuard } from './bearer-token.guard';

/** The bearer token guard, on every route of the app. */
@Module({ providers: [{ provide: APP_GUARD, useClass: BearerTokenGuard }] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class AuthModule {}
