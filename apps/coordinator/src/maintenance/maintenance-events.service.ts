import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { MaintenanceOccurrence } from '@crosscheck/checks';
import type { MaintenanceEventData, MaintenanceEventType } from '@crosscheck/contract';
import type { Logger } from 'pino';
import { COORDINATOR_CONFIG } from '../config/config.tokens';
import { DEFAULT_MAINTENANCE_EVENTS_INTERVAL_MS, type CoordinatorConfig } from '../config/coordinator-config';
import { Clock } from '../core/clock';
import { PeriodicTask } from '../core/periodic-task';
import type { MaintenanceOutboundEvent } from '../events/event-sink';
import { OUTBOX_MAX } from '../incidents/incidents.repository';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import type { RedisClient } from '../redis/redis-connections';
import { coordinatorKeys, shardOf } from '../redis/coordinator-keys';
import { LuaScript } from '../redis/lua-script';
import { REDIS_COMMANDS } from '../redis/redis.tokens';
import { MaintenanceCalendar } from './maintenance-calendar.service';
import { occurrenceView, type CompiledWindow } from './maintenance-window';

/**
 * Claims one event and puts it in the outbox, atomically: the first coordinator to see an
 * occurrence start (or end) sends its event, the others find it claimed.
 * KEYS (one state shard): 1 the claim, 2 the shard's outbox. ARGV: 1 claim lifetime ms, 2 outbox
 * max length, 3 event id, 4 event type, 5 event JSON. Returns 1 when claimed now, 0 when claimed before.
 */
const CLAIM_EVENT = new LuaScript(
  'claim-maintenance-event',
  2,
  `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'id', ARGV[3], 'type', ARGV[4], 'event', ARGV[5])
return 1
`,
);

/** Occurrences looked at per window and pass, at most. */
const OCCURRENCES_PER_PASS = 50;

/**
 * Sends `maintenance.started` and `maintenance.ended` once per window occurrence, across every
 * coordinator: each pass (every `MAINTENANCE_EVENTS_INTERVAL`) looks back a few intervals for
 * starts and ends at or before now, and claims each event by its id (`SET NX` with the outbox
 * `XADD` in one script), so replicas and overlapping passes never send one twice. An event is late
 * by at most one interval; one whose moment is further back than the look-back (every coordinator
 * down for longer) is not sent.
 */
@Injectable()
export class MaintenanceEvents implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly task: PeriodicTask;
  private readonly lookBackMs: number;

  constructor(
    @Inject(MaintenanceCalendar) private readonly calendar: MaintenanceCalendar,
    @Inject(REDIS_COMMANDS) private readonly redis: RedisClient,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(COORDINATOR_CONFIG) config: Pick<CoordinatorConfig, 'maintenanceEventsIntervalMs'>,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'maintenance-events' });
    const everyMs = config.maintenanceEventsIntervalMs ?? DEFAULT_MAINTENANCE_EVENTS_INTERVAL_MS;
    this.lookBackMs = Math.max(4 * everyMs, 60_000);
    this.task = new PeriodicTask(() => this.passSafely(), everyMs);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns the events this coordinator put in the outbox. */
  async pass(): Promise<MaintenanceOutboundEvent[]> {
    const now = this.clock.now();
    const sent: MaintenanceOutboundEvent[] = [];
    for (const window of await this.calendar.windows()) {
      for (const occurrence of window.schedule.overlapping(now - this.lookBackMs, now + 1, OCCURRENCES_PER_PASS)) {
        if (occurrence.start <= now && occurrence.start >= now - this.lookBackMs) {
          const event = eventOf(window, occurrence, 'maintenance.started');
          if (await this.claim(window, event)) sent.push(event);
        }
        if (occurrence.end <= now && occurrence.end >= now - this.lookBackMs) {
          const event = eventOf(window, occurrence, 'maintenance.ended');
          if (await this.claim(window, event)) sent.push(event);
        }
      }
    }
    return sent;
  }

  private async claim(window: CompiledWindow, event: MaintenanceOutboundEvent): Promise<boolean> {
    const shard = shardOf(window.window.id);
    const claimed = await CLAIM_EVENT.run(
      this.redis,
      [coordinatorKeys.maintenanceEventClaim(shard, event.id), coordinatorKeys.outbox(shard)],
      [2 * this.lookBackMs + 60_000, OUTBOX_MAX, event.id, event.type, JSON.stringify(event)],
    );
    if (claimed === 1) this.logger.info({ maintenanceId: window.window.id, eventId: event.id, type: event.type }, 'maintenance event');
    return claimed === 1;
  }

  private async passSafely(): Promise<void> {
    try {
      await this.pass();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not look at maintenance windows; retrying at the next pass');
    }
  }
}

function eventOf(compiled: CompiledWindow, occurrence: MaintenanceOccurrence, type: MaintenanceEventType): MaintenanceOutboundEvent {
  const { window } = compiled;
  const started = type === 'maintenance.started';
  const data: MaintenanceEventData = {
    maintenance: {
      id: window.id,
      key: window.key ?? window.id,
      reason: window.reason,
      kind: window.schedule.kind,
      monitorIds: [...window.monitorIds],
      labels: window.labels,
      url: `/v1/maintenance/${window.id}`,
    },
    occurrence: occurrenceView(occurrence),
  };
  return {
    id: `evt_${window.id}_${occurrence.start}_${started ? 'started' : 'ended'}`,
    type,
    timestamp: new Date(started ? occurrence.start : occurrence.end).toISOString(),
    data,
  };
}
