import { Module } from '@nestjs/common';
import { MonitorStoreModule } from '../monitors/monitor-store.module';
import { SecretsController } from './secrets.controller';
import { SecretsReseal } from './secrets-reseal.service';

/** Key rotation of the secrets at rest: the re-seal pass at boot and `POST /v1/secrets/reseal`. (The `SecretBox` itself is `CoreModule`'s.) */
@Module({ imports: [MonitorStoreModule], controllers: [SecretsController], providers: [SecretsReseal] })
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class SecretsModule {}
