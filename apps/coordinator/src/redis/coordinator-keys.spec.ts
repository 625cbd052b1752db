import { createRequire } from 'node:module';
import { regionPrefix } from '@crosscheck/contract';
import { describe, expect, it } from 'vitest';
import { newMonitorId } from '../monitors/monitor-id';
import { CATALOG_PREFIX, coordinatorKeys, monitorIdOfIncident, monitorIdOfRound, shardOf, shardPrefix, STATE_SHARD_TAGS, STATE_SHARDS } from './coordinator-keys';

/** Redis Cluster's CRC16 slot of a key, as ioredis computes it (the package ioredis routes with). */
const calculateSlot = createRequire(__filename)('cluster-key-slot') as (key: string) => number;
const SLOTS = 16_384;

describe('the Redis Cluster key layout', () => {
  it('gives each state shard a tag hashing into its own sixteenth of the slots', () => {
    expect(STATE_SHARD_TAGS).toHaveLength(STATE_SHARDS);
    STATE_SHARD_TAGS.forEach((tag, shard) => {
      expect(Math.floor(calculateSlot(tag) / (SLOTS / STATE_SHARDS)), tag).toBe(shard);
      // Redis hashes only what is between the braces.
      expect(calculateSlot(`${shardPrefix(shard)}:anything`)).toBe(calculateSlot(tag));
    });
  });

  it('spreads monitors over the shards evenly', () => {
    const counts = new Array<number>(STATE_SHARDS).fill(0);
    const n = 16_000;
    for (let i = 0; i < n; i++) counts[shardOf(newMonitorId(Date.now() + i))]! += 1;
    for (const count of counts) expect(Math.abs(count - n / STATE_SHARDS)).toBeLessThan((n / STATE_SHARDS) * 0.15);
  });

  it('puts every key a round or an incident writes for a monitor in one slot', () => {
    const monitorId = newMonitorId(Date.now());
    const roundId = `${monitorId}-${Date.now()}`;
    const incidentId = `inc_${monitorId}_${Date.now()}`;
    expect(monitorIdOfRound(roundId)).toBe(monitorId);
    expect(monitorIdOfIncident(incidentId)).toBe(monitorId);
    const shard = shardOf(monitorId);
    const keys = [
      coordinatorKeys.round(roundId),
      coordinatorKeys.monitorGone(monitorId),
      coordinatorKeys.monitorState(monitorId),
      coordinatorKeys.monitorHistory(monitorId),
      coordinatorKeys.monitorChecks(monitorId),
      coordinatorKeys.incidentState(monitorId),
      coordinatorKeys.roundSummary(roundId),
      coordinatorKeys.incident(incidentId),
      coordinatorKeys.incidentTimeline(incidentId),
      coordinatorKeys.monitorIncidents(monitorId),
      coordinatorKeys.incidents(shard),
      coordinatorKeys.openIncidents(shard),
      coordinatorKeys.outbox(shard),
      coordinatorKeys.checkDeadlines(shard),
      coordinatorKeys.rollupOpen(monitorId),
      coordinatorKeys.rollupLog(monitorId, 'h'),
      coordinatorKeys.rollupChunk(monitorId, 'm', 493_210),
      // The commit script builds chunk keys from the prefix: it must carry the tag too.
      `${coordinatorKeys.rollupPrefix(monitorId)}d:641`,
      `${shardPrefix(shard)}:rounds:wait`,
    ];
    expect(new Set(keys.map((key) => calculateSlot(key)))).toEqual(new Set([calculateSlot(STATE_SHARD_TAGS[shard]!)]));
  });

  it('keeps the catalog in one slot and each region in its own', () => {
    const catalog = [
      coordinatorKeys.monitor('mon_x'),
      coordinatorKeys.monitorIndex(),
      coordinatorKeys.regions(),
      coordinatorKeys.region('eu-west'),
      coordinatorKeys.regionMonitors('eu-west'),
      coordinatorKeys.regionCredentials(),
      coordinatorKeys.deletedMonitors(),
      coordinatorKeys.token('tok_x'),
      coordinatorKeys.tokenIndex(),
      coordinatorKeys.webhook('wh_x'),
      coordinatorKeys.webhookDeliveries('wh_x'),
      coordinatorKeys.statusPage('sp_x'),
      coordinatorKeys.statusPageIndex(),
      coordinatorKeys.statusPageKeys(),
      coordinatorKeys.statusPageSlugs(),
      coordinatorKeys.rateLimit('token:x'),
      `${CATALOG_PREFIX}:webhook-deliveries:wait`,
    ];
    expect(new Set(catalog.map((key) => calculateSlot(key))).size).toBe(1);
    expect(calculateSlot(`${regionPrefix('eu-west')}:checks:wait`)).toBe(calculateSlot(`${regionPrefix('eu-west')}:agents`));
    expect(calculateSlot(`${regionPrefix('eu-west')}:checks:wait`)).not.toBe(calculateSlot(`${regionPrefix('us-east')}:checks:wait`));
  });
});
