import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { IncidentEventData } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import type { CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import type { SinkEvent } from '../events/event-sink';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { MonitorsRepository } from '../monitors/monitors.repository';
import { coordinatorKeys } from '../redis/coordinator-keys';
import type { RedisClient } from '../redis/redis-connections';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { isRedisUnavailable } from '../redis/redis-unavailable';
import { PoliciesRepository } from './policies.repository';
import { applicablePolicies } from './routing';

/** How long an open incident's latest event is kept for its reminders (seconds). */
const EVENT_TTL_SECONDS = 30 * 24 * 3_600;

/** What a reminder is due: which policy, which step (`r<n>` the n-th reminder, `esc` the escalation), where it goes. */
export interface DueReminder {
  policyId: string;
  step: string;
  sequence: number;
  escalation: boolean;
  channels: string[];
  /** When it fell due (epoch ms): its event's time. */
  dueAt: number;
}

/**
 * The reminders and escalation due for an incident open since `openedAt`, now: per policy, the
 * latest reminder only (a coordinator that was down sends no backlog), and the escalation once
 * its wait is over (later reminders then go to both lists). Pure.
 */
export function dueReminders(
  policies: ReadonlyArray<{ id: string; channels: string[]; reminder: { everyMinutes: number } | null; escalation: { afterMinutes: number; channels: string[] } | null }>,
  openedAt: number,
  now: number,
): DueReminder[] {
  const due: DueReminder[] = [];
  for (const policy of policies) {
    const escalatedAt = policy.escalation === null ? null : openedAt + policy.escalation.afterMinutes * 60_000;
    const escalated = escalatedAt !== null && now >= escalatedAt;
    if (policy.reminder !== null) {
      const every = policy.reminder.everyMinutes * 60_000;
      const sequence = Math.floor((now - openedAt) / every);
      if (sequence >= 1) {
        const channels = escalated ? [...policy.channels, ...policy.escalation!.channels] : policy.channels;
        due.push({ policyId: policy.id, step: `r${sequence}`, sequence, escalation: false, channels, dueAt: openedAt + sequence * every });
      }
    }
    if (escalated) due.push({ policyId: policy.id, step: 'esc', sequence: 1, escalation: true, channels: policy.escalation!.channels, dueAt: escalatedAt });
  }
  return due;
}

/**
 * Reminds and escalates unacknowledged open incidents. Every coordinator looks every
 * `REMINDERS_INTERVAL`; each reminder is claimed with `SET NX` on a key of its own (incident,
 * policy, step) that outlives its interval, and its event id is the same on every coordinator,
 * so however many look, each reminder is queued once (and a second publish is a no-op anyway).
 * An acknowledged or resolved incident gets no more.
 */
@Injectable()
export class RemindersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
    @Inject(COORDINATOR_CONFIG) config: CoordinatorConfig,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'reminders' });
    this.intervalMs = config.remindersIntervalMs ?? 15_000;
  }

  /** Set by the sink (which it publishes through): a circular injection otherwise. */
  publishTo: ((event: SinkEvent, channelIds: readonly string[]) => Promise<void>) | null = null;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The sink saw an incident event: keep the latest one of each open incident, for its reminders. */
  async track(type: string, body: string, incidentId: string, openedAt: number): Promise<void> {
    if (type === 'incident.resolved') {
      await this.redis.zrem(coordinatorKeys.reminderIncidents(), incidentId);
      await this.redis.del(coordinatorKeys.reminderEvent(incidentId));
    } else if (type === 'incident.opened' || type === 'incident.updated') {
      await this.redis.set(coordinatorKeys.reminderEvent(incidentId), body, 'EX', EVENT_TTL_SECONDS);
      await this.redis.zadd(coordinatorKeys.reminderIncidents(), openedAt, incidentId);
    }
  }

  async tick(): Promise<void> {
    if (this.running || this.publishTo === null) return;
    this.running = true;
    try {
      const policies = (await this.policies.all()).map((stored) => stored.policy).filter((p) => p.enabled && (p.reminder !== null || p.escalation !== null));
      if (policies.length === 0) return;
      const open = await this.redis.zrange(coordinatorKeys.reminderIncidents(), 0, 999, 'WITHSCORES');
      for (let i = 0; i + 1 < open.length; i += 2) await this.remind(open[i]!, Number(open[i + 1]), policies);
    } catch (error) {
      if (!isRedisUnavailable(error)) this.logger.error({ err: error }, 'reminders could not be looked at');
    } finally {
      this.running = false;
    }
  }

  private async remind(incidentId: string, openedAt: number, all: Awaited<ReturnType<PoliciesRepository['all']>>[number]['policy'][]): Promise<void> {
    const record = await this.incidents.get(incidentId);
    if (record === null || record.state !== 'open') {
      await this.redis.zrem(coordinatorKeys.reminderIncidents(), incidentId);
      return;
    }
    if (record.acknowledgedAt) return;
    const body = await this.redis.get(coordinatorKeys.reminderEvent(incidentId));
    if (body === null) return;
    const last = JSON.parse(body) as { data: IncidentEventData };
    const stored = await this.monitors.get(last.data.monitor.id);
    const routable = { type: 'incident.reminder', severity: record.severity, monitors: stored ? [{ labels: stored.monitor.labels ?? {}, channels: [] }] : [] };
    const policies = applicablePolicies(all, routable);
    for (const due of dueReminders(policies, openedAt, this.clock.now())) {
      const interval = due.escalation ? 7 * 24 * 3_600_000 : (policies.find((p) => p.id === due.policyId)?.reminder?.everyMinutes ?? 1) * 60_000;
      const claimed = await this.redis.set(coordinatorKeys.reminderClaim(incidentId, due.policyId, due.step), '1', 'PX', Math.max(2 * interval, 60_000), 'NX');
      if (claimed === null) continue;
      const event = {
        id: `evt_${incidentId}_reminder_${due.policyId}_${due.step}`,
        type: 'incident.reminder' as const,
        timestamp: new Date(due.dueAt).toISOString(),
        data: { ...last.data, reminder: { sequence: due.sequence, escalation: due.escalation } },
      } as unknown as SinkEvent;
      try {
        await this.publishTo!(event, due.channels);
      } catch (error) {
        // Unclaimed again, so that the next look (here or on another coordinator) sends it.
        await this.redis.del(coordinatorKeys.reminderClaim(incidentId, due.policyId, due.step));
        throw error;
      }
      this.logger.info({ incidentId, policyId: due.policyId, step: due.step, channels: due.channels }, due.escalation ? 'incident escalated' : 'incident reminder queued');
    }
  }
}
