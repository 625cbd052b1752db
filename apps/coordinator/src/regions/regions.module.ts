import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { CheckDeadlines } from './check-deadlines.repository';
import { CheckSweeper } from './check-sweeper.service';
import { RegionAclReconciler } from './region-acl-reconciler.service';
import { RegionAclUsers } from './region-acl-users.service';
import { RegionCredentials } from './region-credentials.service';
import { RegionCredentialsRepository } from './region-credentials.repository';
import { RegionLifecycle } from './region-lifecycle.service';
import { RegionQueues } from './region-queues.service';
import { RegionsController } from './regions.controller';
import { RegionsRepository } from './regions.repository';
import { RegionsService } from './regions.service';

/**
 * Regions as resources: the registry and its API, the lifecycle that opens and closes what each
 * region needs on this coordinator, the regions' queues as the coordinator produces to them, the
 * sweep that keeps their check jobs within their deadlines, and their agents' Redis credentials
 * (issued, rotated, revoked, and kept on every Redis node by the ACL reconcile).
 */
@Module({
  imports: [AgentsModule],
  controllers: [RegionsController],
  providers: [
    RegionsRepository,
    RegionLifecycle,
    CheckDeadlines,
    RegionQueues,
    CheckSweeper,
    RegionCredentialsRepository,
    RegionAclUsers,
    RegionCredentials,
    RegionAclReconciler,
    RegionsService,
  ],
  exports: [RegionsRepository, RegionLifecycle, RegionQueues],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is a class that carries decorator metadata
export class RegionsModule {}
