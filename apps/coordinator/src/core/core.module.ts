import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { decodeSecretsKey, SecretBox } from '../secrets/secret-box';
import { Clock } from './clock';
import { SystemClock } from './system-clock';

/** The validated config, the root logger, the clock and the secret box, available everywhere. */
@Global()
@Module({})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class CoreModule {
  static register(config: CoordinatorConfig, logger: Logger, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: COORDINATOR_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: Clock, useValue: clock },
        { provide: SecretBox, useValue: secretBoxOf(config) },
      ],
      exports: [COORDINATOR_CONFIG, ROOT_LOGGER, Clock, SecretBox],
    };
  }
}

function secretBoxOf(config: CoordinatorConfig): SecretBox {
  const decode = (text: string, variable: string): Buffer => {
    const key = decodeSecretsKey(text);
    if (!key) throw new Error(`${variable} must be 32 bytes, base64 encoded`);
    return key;
  };
  return new SecretBox(
    decode(config.secretsKey, 'SECRETS_KEY'),
    (config.secretsKeyPrevious ?? []).map((key) => decode(key, 'SECRETS_KEY_PREVIOUS')),
  );
}
