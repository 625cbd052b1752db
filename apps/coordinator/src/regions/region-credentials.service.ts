import { Inject, Injectable } from '@nestjs/common';
import { aclPasswordHash, regionAclRule, regionAclUser, type RegionAgentCredentials } from '@crosscheck/contract';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { agentRedisAddress, agentRedisEnv } from './agent-redis-env';
import { RegionAclUsers, type AclFanOut } from './region-acl-users.service';
import { RegionCredentialsRepository } from './region-credentials.repository';

/** A new password for a region's agents and the SHA-256 the catalog and Redis keep of it. */
export interface NewRegionPassword {
  password: string;
  passwordHash: string;
}

/**
 * The credentials of a region's agents: a password made here (32 random bytes, base64url: 43
 * characters, safe in a URL and in an ACL rule), its user put on every Redis node, and the answer
 * that hands them out once. When the coordinator may not manage ACL users (`REGION_ACL=manual`,
 * or its Redis user gets `NOPERM` for `ACL`), the answer carries the `ACL SETUSER` to run by hand
 * instead, and a log line says so; the password is in the answer only, never in a log.
 */
@Injectable()
export class RegionCredentials {
  private readonly logger: Logger;
  private readonly manual: boolean;

  constructor(
    @Inject(RegionAclUsers) private readonly users: RegionAclUsers,
    @Inject(RegionCredentialsRepository) private readonly catalog: RegionCredentialsRepository,
    @Inject(COORDINATOR_CONFIG) private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'region-credentials' });
    this.manual = config.regionAcl === 'manual';
  }

  newPassword(): NewRegionPassword {
    const password = randomBytes(32).toString('base64url');
    return { password, passwordHash: aclPasswordHash(password) };
  }

  /**
   * Puts the user of `region`'s agents with this password on every node (unless manual) and
   * returns what its agents need. `rotation`: connections made with the previous password close.
   */
  async deliver(region: string, secret: NewRegionPassword, options: { rotation: boolean }): Promise<RegionAgentCredentials> {
    const aclUser = regionAclUser(region);
    const env = agentRedisEnv(agentRedisAddress(this.config), region, aclUser, secret.password);
    const byHand = (): RegionAgentCredentials => ({
      region,
      env,
      aclUser,
      managed: false,
      aclSetuser: ['ACL', 'SETUSER', ...regionAclRule(region, secret.password)].join(' '),
    });
    if (this.manual) {
      this.logger.warn({ region, aclUser }, 'REGION_ACL=manual: run the ACL SETUSER of the answer by hand on every Redis node (replicas included)');
      return byHand();
    }
    const fanOut = await this.users.apply(region, secret.passwordHash, { disconnect: options.rotation });
    if (fanOut.denied.length > 0) {
      this.logger.warn(
        { region, aclUser, nodes: fanOut.denied },
        'the coordinator’s Redis user may not run ACL (NOPERM): run the ACL SETUSER of the answer by hand on every Redis node, or give it the ACL command',
      );
      return byHand();
    }
    this.reportFailures(region, fanOut, 'created');
    if (fanOut.notDisconnected.length > 0) {
      this.logger.warn(
        { region, aclUser, failed: fanOut.notDisconnected },
        `connections made with the old password stay open on some Redis nodes (new ones are refused): run CLIENT KILL USER ${aclUser} there`,
      );
    }
    return { region, env, aclUser, managed: true };
  }

  /**
   * Deletes the user of a region that left the registry from every node, then forgets its
   * credentials (`passwordHash`, as the catalog has them) unless the region came back meanwhile.
   * Returns whether it is done; when a node could not be reached the catalog keeps them and the
   * ACL reconcile tries again. When the coordinator may not manage ACL users, a log line says
   * what to run by hand, and they are forgotten.
   */
  async revoke(region: string, passwordHash: string): Promise<boolean> {
    const aclUser = regionAclUser(region);
    if (!this.manual) {
      const fanOut = await this.users.remove(region);
      if (fanOut.denied.length === 0) {
        this.reportFailures(region, fanOut, 'deleted');
        if (fanOut.failed.length > 0) return false;
        await this.catalog.forgetOrphan(region, passwordHash);
        // Created again meanwhile (the DELUSER above may have hit its new user): put it back.
        const current = await this.catalog.passwordHash(region);
        if (current !== null && current !== passwordHash) await this.users.apply(region, current, { disconnect: false });
        return true;
      }
    }
    this.logger.warn({ region, aclUser }, `run ACL DELUSER ${aclUser} by hand on every Redis node: the coordinator may not manage ACL users`);
    await this.catalog.forgetOrphan(region, passwordHash);
    return true;
  }

  private reportFailures(region: string, fanOut: AclFanOut, what: 'created' | 'deleted'): void {
    if (fanOut.failed.length === 0) return;
    this.logger.warn(
      { region, aclUser: regionAclUser(region), failed: fanOut.failed },
      `the agents' ACL user could not be ${what} on every Redis node; the ACL reconcile retries`,
    );
  }
}
