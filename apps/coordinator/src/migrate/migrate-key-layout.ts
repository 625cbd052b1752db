#!/usr/bin/env node
import { readRedisTarget } from '@crosscheck/contract';
import { Redis } from 'ioredis';
import { moveOf, outboxShardOf } from './key-layout-v2';
import { coordinatorKeys, shardOf } from '../redis/coordinator-keys';

/** What a migration did (or, with `dryRun`, would do), by kind. */
export interface MigrationReport {
  renamed: number;
  split: number;
  dropped: number;
  /** Old keys left in place because their new name was taken already. */
  conflicts: string[];
}

/**
 * Moves every key of the layout before hash tags to today's names, in place, on one Redis. Run it
 * with every coordinator and agent stopped (it refuses otherwise, unless `force`): a coordinator
 * writing the old layout meanwhile would leave keys behind. Idempotent: a second run finds nothing.
 */
export async function migrateKeyLayout(redis: Redis, options: { dryRun?: boolean; force?: boolean } = {}): Promise<MigrationReport> {
  if (!options.force) {
    const clients = String(await redis.call('CLIENT', 'LIST'));
    const running = clients.split('\n').filter((line) => /\bname=crosscheck-(coordinator|agent)/.test(line));
    if (running.length > 0) {
      throw new Error(`${running.length} Crosscheck connection(s) are open on this Redis: stop every coordinator and agent first (or pass --force)`);
    }
  }
  const report: MigrationReport = { renamed: 0, split: 0, dropped: 0, conflicts: [] };
  for (const pattern of ['cc:c:*', 'cc:r:*']) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
      cursor = next;
      for (const key of keys) await migrateKey(redis, key, report, options.dryRun === true);
    } while (cursor !== '0');
  }
  return report;
}

async function migrateKey(redis: Redis, key: string, report: MigrationReport, dryRun: boolean): Promise<void> {
  const move = moveOf(key);
  if (move === null) return;
  switch (move.kind) {
    case 'rename': {
      if (dryRun) {
        report.renamed += 1;
        return;
      }
      if ((await redis.renamenx(key, move.to)) === 1) {
        report.renamed += 1;
      } else if (/:(meta|stalled-check)$/.test(key)) {
        // A queue's bookkeeping that a coordinator of today's layout wrote again already.
        report.dropped += 1;
        await redis.del(key);
      } else {
        report.conflicts.push(key);
      }
      return;
    }
    case 'drop':
      report.dropped += 1;
      if (!dryRun) await redis.del(key);
      return;
    case 'split-zset': {
      report.split += 1;
      if (dryRun) return;
      const flat = await redis.zrange(key, 0, -1, 'WITHSCORES');
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const member = flat[i]!;
        let shardKey: string;
        try {
          shardKey = move.to(shardOfMember(move.monitorOf(member)));
        } catch {
          continue; // A member no version wrote: nothing to keep.
        }
        await redis.zadd(shardKey, flat[i + 1]!, member);
      }
      await redis.del(key);
      return;
    }
    case 'split-outbox': {
      report.split += 1;
      if (dryRun) return;
      const entries = (await redis.xrange(key, '-', '+')) as [string, string[]][];
      for (const [, fields] of entries) {
        const shard = outboxShardOf(fields);
        if (shard !== null) await redis.xadd(coordinatorKeys.outbox(shard), '*', ...fields);
      }
      await redis.del(key);
      return;
    }
  }
}

function shardOfMember(monitorId: string): number {
  if (!/^mon_[a-z2-7]{20}$/.test(monitorId)) throw new Error(`not a monitor id: ${monitorId}`);
  return shardOf(monitorId);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => !['--dry-run', '--force'].includes(arg));
  if (unknown.length > 0 || args.includes('--help')) {
    process.stderr.write('usage: migrate-key-layout [--dry-run] [--force]   (REDIS_URL names the Redis)\n');
    process.exit(unknown.length > 0 ? 64 : 0);
  }
  const read = readRedisTarget(process.env);
  if ('issues' in read) {
    for (const issue of read.issues) process.stderr.write(`${issue.variable}: ${issue.message}\n`);
    process.exit(64);
  }
  if (read.target.mode !== 'single') {
    process.stderr.write('REDIS_CLUSTER_NODES: the layout before hash tags only ran on one Redis; migrate there (REDIS_URL), then move the keys to a cluster\n');
    process.exit(64);
  }
  const redis = new Redis(read.target.url, { maxRetriesPerRequest: 1, connectionName: 'crosscheck-migrate' });
  try {
    const dryRun = args.includes('--dry-run');
    const report = await migrateKeyLayout(redis, { dryRun, force: args.includes('--force') });
    process.stdout.write(
      `${dryRun ? 'would rename' : 'renamed'} ${report.renamed}, split ${report.split}, dropped ${report.dropped}` +
        (report.conflicts.length > 0 ? `; ${report.conflicts.length} left in place, their new name exists: ${report.conflicts.slice(0, 10).join(', ')}` : '') +
        '\n',
    );
    process.exitCode = report.conflicts.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`migration failed: ${(error as Error).message}\n`);
    process.exitCode = 2;
  } finally {
    redis.disconnect();
  }
}

if (require.main === module) void main();
