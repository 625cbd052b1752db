import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { Clock } from './clock';
import { SystemClock } from './system-clock';

/** The validated config, the root logger and the clock, available everywhere. */
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
      ],
      exports: [COORDINATOR_CONFIG, ROOT_LOGGER, Clock],
    };
  }
}
