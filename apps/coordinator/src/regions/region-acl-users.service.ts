import { Inject, Injectable } from '@nestjs/common';
import { regionAclPattern, regionAclRuleOfHash, regionAclUser } from '@crosscheck/contract';
import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { aclUserDrift, readAclUser, type AclUserView } from './acl-user-drift';

/** What one command sent to every node came to. */
export interface AclFanOut {
  /** Nodes that took it. */
  done: string[];
  /** Nodes that refused it for want of permission (`NOPERM`): the coordinator's user may not run `ACL`. */
  denied: string[];
  /** Nodes that could not be reached or failed otherwise, with the reason (never a password: only hashes are sent). */
  failed: { node: string; reason: string }[];
  /** Nodes that took the rule but did not close the connections made with the old password (a rotation), with the reason. */
  notDisconnected: { node: string; reason: string }[];
}

/** A connection to one Redis node. */
interface AclNode {
  address: string;
  client: Pick<Redis, 'call'>;
}

/**
 * The Redis ACL users of the regions' agents, on every Redis node. ACL users are per node: neither
 * replication nor the cluster bus copies them, so on a Redis Cluster each rule goes to every master
 * and every replica the coordinator's client knows (a replica promoted later has it already; a node
 * added later gets it from the reconcile). Rules are sent with the password's SHA-256
 * (`#<hex>`), never the password, so nothing here can leak it.
 */
/** Longest wait for the cluster's node list to be read again before a fan-out (it goes on with the list it has). */
const SLOTS_REFRESH_WAIT_MS = 2_000;

@Injectable()
export class RegionAclUsers {
  /** What each node showed right after a rule was applied, by `node|user`: what a later reconcile compares with. */
  private readonly applied = new Map<string, AclUserView>();

  constructor(@Inject(REDIS_COMMANDS) private readonly redis: RedisClient) {}

  /** Every node the rule must be on: the one Redis, or every node of the cluster (masters and replicas) ioredis knows. */
  nodes(): AclNode[] {
    if (!isCluster(this.redis)) return [{ address: addressOf(this.redis), client: this.redis }];
    return this.redis.nodes('all').map((node) => ({ address: addressOf(node), client: node }));
  }

  /**
   * Reads the cluster's node list again (nothing to do on one Redis). ioredis reads it (CLUSTER
   * SLOTS) when it connects and after a redirection only: a replica that joined, or had not
   * finished joining, since then would never get the rule. Once per fan-out, or per reconcile pass
   * (not per region); gives up waiting after {@link SLOTS_REFRESH_WAIT_MS} and goes on with the list it has.
   */
  async refreshNodes(): Promise<void> {
    if (!isCluster(this.redis)) return;
    const cluster = this.redis;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, SLOTS_REFRESH_WAIT_MS);
      cluster.refreshSlotsCache(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Creates (or resets) the user of `region`'s agents on every node with this password hash;
   * `disconnect`: also closes the connections made with the previous password (a rotation).
   */
  async apply(region: string, passwordHash: string, options: { disconnect: boolean }): Promise<AclFanOut> {
    const notDisconnected: AclFanOut['notDisconnected'] = [];
    const fanOut = await this.everyNode(async (node) => {
      await this.applyOn(node, region, passwordHash);
      if (!options.disconnect) return;
      // The new password is in place either way: a refused kill is reported, not a failed rule.
      await node.client.call('CLIENT', 'KILL', 'USER', regionAclUser(region)).catch((error: unknown) => {
        notDisconnected.push({ node: node.address, reason: error instanceof Error ? error.message : String(error) });
      });
    });
    return { ...fanOut, notDisconnected };
  }

  /** Deletes the user of `region`'s agents on every node (Redis closes their connections). */
  async remove(region: string): Promise<AclFanOut> {
    const user = regionAclUser(region);
    return this.everyNode(async (node) => {
      await node.client.call('ACL', 'DELUSER', user);
      this.applied.delete(`${node.address}|${user}`);
    });
  }

  /**
   * Re-applies the user of `region`'s agents on each node where it is missing or not as applied
   * (see `aclUserDrift`); `done` names the nodes it was re-applied on.
   */
  async reconcile(region: string, passwordHash: string): Promise<AclFanOut> {
    // The node list is read again by the caller, once per pass (refreshNodes).
    const user = regionAclUser(region);
    const expected = { passwordHash, keyPatterns: [regionAclPattern(region).slice(1)] };
    const fanOut: AclFanOut = { done: [], denied: [], failed: [], notDisconnected: [] };
    await Promise.all(
      this.nodes().map(async (node) => {
        try {
          const actual = readAclUser(await node.client.call('ACL', 'GETUSER', user));
          if (aclUserDrift(actual, expected, this.applied.get(`${node.address}|${user}`)) === 'matches') return;
          await this.applyOn(node, region, passwordHash);
          fanOut.done.push(node.address);
        } catch (error) {
          sortError(fanOut, node.address, error);
        }
      }),
    );
    return fanOut;
  }

  private async applyOn(node: AclNode, region: string, passwordHash: string): Promise<void> {
    const rule = regionAclRuleOfHash(region, passwordHash);
    await node.client.call('ACL', 'SETUSER', ...rule);
    const view = readAclUser(await node.client.call('ACL', 'GETUSER', rule[0]!));
    if (view !== null) this.applied.set(`${node.address}|${rule[0]!}`, view);
  }

  private async everyNode(action: (node: AclNode) => Promise<void>): Promise<AclFanOut> {
    const fanOut: AclFanOut = { done: [], denied: [], failed: [], notDisconnected: [] };
    await this.refreshNodes();
    const nodes = this.nodes();
    if (nodes.length === 0) fanOut.failed.push({ node: '(cluster)', reason: 'no node known yet' });
    await Promise.all(
      nodes.map(async (node) => {
        try {
          await action(node);
          fanOut.done.push(node.address);
        } catch (error) {
          sortError(fanOut, node.address, error);
        }
      }),
    );
    return fanOut;
  }
}

function sortError(fanOut: AclFanOut, node: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  if (reason.startsWith('NOPERM')) fanOut.denied.push(node);
  else fanOut.failed.push({ node, reason });
}

function addressOf(client: Redis): string {
  return `${client.options.host ?? '127.0.0.1'}:${client.options.port ?? 6379}`;
}
