import { Module } from '@nestjs/common';
import { TokenLookup } from './token-lookup.service';
import { TokensController } from './tokens.controller';
import { TokensRepository } from './tokens.repository';
import { TokensService } from './tokens.service';

/** `/v1/tokens`, and the lookup the bearer token guard resolves `cct_` tokens with. */
@Module({
  controllers: [TokensController],
  providers: [TokensRepository, TokensService, TokenLookup],
  exports: [TokenLookup],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class TokensModule {}
