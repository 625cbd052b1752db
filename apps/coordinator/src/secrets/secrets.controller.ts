import { Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/scope.decorator';
import { schemaRef } from '../openapi/schema-ref';
import { SecretsReseal, type ResealReport } from './secrets-reseal.service';

/** Administration of the secrets encrypted at rest. */
@ApiTags('secrets')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('v1/secrets')
export class SecretsController {
  constructor(@Inject(SecretsReseal) private readonly secrets: SecretsReseal) {}

  @Post('reseal')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Write every secret sealed under a previous key (SECRETS_KEY_PREVIOUS) again under SECRETS_KEY; ' +
      '`{"monitors":{"resealed":0,"failedCount":0,"failed":[]}}` means nothing depends on a previous key any more',
  })
  @ApiResponse({ status: 200, schema: schemaRef('ResealReport') })
  async reseal(): Promise<ResealReport> {
    return this.secrets.reseal();
  }
}
