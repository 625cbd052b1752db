import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { regionAclUser } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_REGION_ACL_RECONCILE_INTERVAL_MS, type CoordinatorConfig } from '../config/coordinator-config';
import { PeriodicTask } from '../core/periodic-task';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { RedisConnections } from '../redis/redis-connections';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { RegionAclUsers } from './region-acl-users.service';
import { RegionCredentials } from './region-credentials.service';
import { RegionCredentialsRepository } from './region-credentials.repository';

/**
 * Keeps the regions' agent users on every Redis node as the catalog says, because Redis itself does
 * not: an ACL user lives in one node's memory (and in its ACL file only after `ACL SAVE`), so a
 * restart, a node added to a cluster or a replica rebuilt loses it, and the region's agents would
 * be locked out. At boot, every `REGION_ACL_RECONCILE_INTERVAL` (30 s) and after Redis comes back,
 * each coordinator re-applies (from the stored SHA-256, `#<hex>`) the user of every region with
 * credentials on each node where it is missing or not as applied, and removes those of regions
 * that left the registry. Idempotent, so several coordinators doing it at once is harmless. Off
 * with `REGION_ACL=manual`: then the operator owns the users.
 */
@Injectable()
export class RegionAclReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly task: PeriodicTask;
  private readonly enabled: boolean;
  /** Whether the last pass was refused for want of permission: said once, not every pass. */
  private denied = false;

  constructor(
    @Inject(RegionCredentialsRepository) private readonly catalog: RegionCredentialsRepository,
    @Inject(RegionAclUsers) private readonly users: RegionAclUsers,
    @Inject(RegionCredentials) private readonly credentials: RegionCredentials,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'region-acl' });
    this.enabled = config.regionAcl !== 'manual';
    this.task = new PeriodicTask(() => this.pass(), config.regionAclReconcileIntervalMs ?? DEFAULT_REGION_ACL_RECONCILE_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.task.start();
    void this.task.run();
    this.connections.onReconnect(() => void this.task.run());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass now (unless one is under way); resolves when it is done. */
  reconcileNow(): Promise<void> {
    return this.task.run();
  }

  private async pass(): Promise<void> {
    let entries: Awaited<ReturnType<RegionCredentialsRepository['all']>>;
    try {
      entries = await this.catalog.all();
    } catch (error) {
      this.logFailure(error);
      return;
    }
    let denied = false;
    if (entries.some((entry) => entry.registered)) await this.users.refreshNodes();
    for (const { region, passwordHash, registered } of entries) {
      try {
        if (!registered) {
          if (await this.credentials.revoke(region, passwordHash)) this.logger.info({ region, aclUser: regionAclUser(region) }, 'ACL user of a region that left the registry deleted');
          continue;
        }
        const fanOut = await this.users.reconcile(region, passwordHash);
        if (fanOut.denied.length > 0) denied = true;
        if (fanOut.done.length > 0) this.logger.info({ region, aclUser: regionAclUser(region), nodes: fanOut.done }, 'ACL user re-applied on Redis nodes that lacked it or had it otherwise');
        if (fanOut.failed.length > 0) this.logger.debug({ region, failed: fanOut.failed }, 'ACL user not checked on some Redis nodes; next pass');
      } catch (error) {
        this.logFailure(error, region);
      }
    }
    if (denied && !this.denied) {
      this.logger.warn('the coordinator’s Redis user may not run ACL (NOPERM): the regions’ agent users are not kept on the nodes; give it the ACL command or set REGION_ACL=manual');
    }
    this.denied = denied;
  }

  private logFailure(error: unknown, region?: string): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (isRedisUnavailable(error)) this.logger.debug({ region, reason }, 'ACL reconcile waiting for Redis');
    else this.logger.warn({ region, reason }, 'ACL reconcile failed; retrying at the next pass');
  }
}
