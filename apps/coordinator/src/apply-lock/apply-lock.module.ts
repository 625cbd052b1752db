import { Module } from '@nestjs/common';
import { ApplyLockController } from './apply-lock.controller';
import { ApplyLockRepository } from './apply-lock.repository';
import { ApplyLockService } from './apply-lock.service';

/** `/v1/apply-lock`: the lock that keeps two configuration applies from interleaving. */
@Module({
  controllers: [ApplyLockController],
  providers: [ApplyLockRepository, ApplyLockService],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class ApplyLockModule {}
