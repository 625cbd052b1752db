import { Inject, Injectable } from '@nestjs/common';
import { advanceIncident, holdForMaintenance, initialIncidentState, reconcile } from '@crosscheck/checks';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.tokens';
import { MaintenanceCalendar } from '../maintenance/maintenance-calendar.service';
import { MonitorsRepository } from '../monitors/monitors.repository';
import type { RoundSummary } from '../results/round';
import { planDeletion } from './deletion-plan';
import { IncidentsRepository, type CloseDeletedOutcome } from './incidents.repository';
import { planTransition } from './transition-plan';

/** Commits retried this many times when another coordinator moved the same monitor's state first. */
const COMMIT_ATTEMPTS = 8;

/** What applying a round to its monitor's incident state came to. */
export type ApplyOutcome =
  /** Committed now (events, if any, are in the outbox). */
  | 'applied'
  /** Somebody had applied this round (or a later one) already: nothing written. */
  | 'duplicate'
  /** The monitor was deleted: nothing to apply to. */
  | 'monitor_gone';

/** A transition kept losing its compare-and-set: the caller's retry (the deadline job) tries again later. */
export class TransitionConflictError extends Error {
  constructor(
    readonly monitorId: string,
    readonly roundId: string,
  ) {
    super(`incident state of monitor ${monitorId} kept changing while applying round ${roundId}`);
    this.name = 'TransitionConflictError';
  }
}

/**
 * Applies finalized rounds to their monitor's incident state: reconcile the round, advance the
 * incident machine, commit the transition, atomically and once (see `IncidentsRepository.commit`).
 * The computation happens in JS from the state read at a revision; the commit succeeds only if that
 * revision is still current and the round has not been applied, so however many coordinators and
 * retries apply the same round, one commit wins and the others find it applied.
 */
@Injectable()
export class IncidentTransitions {
  private readonly logger: Logger;

  constructor(
    @Inject(IncidentsRepository) private readonly incidents: IncidentsRepository,
    @Inject(MonitorsRepository) private readonly monitors: MonitorsRepository,
    @Inject(MaintenanceCalendar) private readonly calendar: MaintenanceCalendar,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'incidents' });
  }

  /** Applies one finalized round. Throws when Redis fails or the state never held still; safe to call again. */
  async apply(summary: RoundSummary): Promise<ApplyOutcome> {
    const { monitorId, roundId } = summary;
    const stored = await this.monitors.get(monitorId);
    if (!stored) return 'monitor_gone';
    const monitor = stored.monitor;
    // Monitors stored before policies existed have none: the machines' parsers apply the defaults.
    const reconciliation = reconcile({ regions: summary.regions }, monitor.reconcile);
    // By the round's scheduled time, not the clock: every coordinator applying this round decides alike.
    const maintenance = await this.calendar.activeAt(monitorLabels(monitor), summary.scheduledAt);

    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      const { state, revision } = await this.incidents.readState(monitorId);
      const previous = state ?? initialIncidentState(monitorId);
      const transition = holdForMaintenance(
        previous,
        advanceIncident(previous, { monitorId, roundId, scheduledAt: summary.scheduledAt, reconciliation }, monitor.incidents),
        maintenance,
      );
      const plan = planTransition({ monitor, summary, reconciliation, previous, transition, inMaintenance: maintenance !== null });
      const { outcome, rollupError } = await this.incidents.commit(monitorId, roundId, revision, plan);
      if (outcome === 'conflict') continue;
      if (rollupError !== undefined) this.logger.error({ monitorId, roundId, err: rollupError }, "the round's uptime rollup could not be written; its transition is committed");
      if (outcome === 'applied') {
        const fields = {
          monitorId,
          roundId,
          classification: reconciliation.classification,
          affectedRegions: reconciliation.affectedRegions,
          disposition: transition.disposition,
          incidentId: transition.state.incident?.id ?? null,
          events: plan.events.map((event) => event.type),
          ...(maintenance !== null ? { maintenanceId: maintenance.windowId, held: transition.held } : {}),
        };
        if (plan.events.length > 0) this.logger.info(fields, 'incident transition');
        else this.logger.debug(fields, 'round classified');
      }
      return outcome;
    }
    throw new TransitionConflictError(monitorId, roundId);
  }

  /**
   * Ends the incident story of a deleted monitor: its open incident, if any, resolves with reason
   * `monitor_deleted` and `incident.resolved` goes to the outbox (hence the webhooks); its incident
   * machine goes; its incidents stay, for the retention of resolved ones. Idempotent: a second call
   * finds nothing left to do. Throws when Redis fails; refuses (`monitor_exists`) for a live monitor.
   */
  async closeForDeletedMonitor(deletion: { monitorId: string; deletedAt: number; regions: readonly string[] }): Promise<CloseDeletedOutcome> {
    const { monitorId, deletedAt, regions } = deletion;
    for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      const { state, revision } = await this.incidents.readState(monitorId);
      const open = state?.incident;
      const plan = open
        ? planDeletion({
            monitorId,
            deletedAt,
            regions,
            state: { ...state, incident: open },
            record: await this.incidents.get(open.id),
            classification: await this.incidents.classification(monitorId),
          })
        : null;
      const outcome = await this.incidents.closeDeleted(monitorId, revision, plan);
      if (outcome === 'conflict') continue;
      if (outcome === 'resolved') this.logger.info({ monitorId, incidentId: open?.id, events: ['incident.resolved'] }, 'incident resolved: monitor deleted');
      return outcome;
    }
    throw new TransitionConflictError(monitorId, 'deletion');
  }

  /**
   * Applies a finalized round whose transition is missing: its finalizer died (or failed) between
   * finalizing and applying. `null` when there is nothing to do: not finalized, already applied (or
   * a later round was), or its summary is gone (its tombstone expired and a later round was
   * finalized since: that one's transition supersedes it).
   */
  async applyIfPending(monitorId: string, roundId: string): Promise<ApplyOutcome | null> {
    const summary = await this.incidents.pendingSummary(monitorId, roundId);
    if (!summary) return null;
    const outcome = await this.apply(summary);
    if (outcome === 'applied') this.logger.warn({ monitorId, roundId }, 'applied the transition of a round its finalizer left unapplied');
    return outcome;
  }
}

/**
 * The monitor as the calendar matches it. Monitors carry no labels yet (issue 12 item 2 adds them):
 * a `labels` object on the stored monitor is used once it is there, and none counts as `{}`.
 */
function monitorLabels(monitor: { id: string }): { id: string; labels?: Record<string, string> } {
  const labels = (monitor as { labels?: unknown }).labels;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return { id: monitor.id };
  return { id: monitor.id, labels: Object.fromEntries(Object.entries(labels).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) };
}
