import { cronStarts, parseCron, type CronSchedule } from './cron';
import { parseRrule, rruleStarts, type Rrule } from './rrule';

/**
 * When a maintenance window is in effect, as stored: once (`startsAt` to `endsAt`), or recurring by
 * an RFC 5545 RRULE or a cron expression from `startsAt` on, each occurrence lasting `durationMs`.
 * Times are epoch ms, UTC.
 */
export type MaintenanceSchedule =
  | { kind: 'once'; startsAt: number; endsAt: number }
  | { kind: 'rrule'; startsAt: number; durationMs: number; rrule: string }
  | { kind: 'cron'; startsAt: number; durationMs: number; cron: string };

/** One occurrence of a window: `[start, end)`, epoch ms. */
export interface MaintenanceOccurrence {
  start: number;
  end: number;
}

/** Candidate times a recurring schedule's expansion looks at, at most, per question. */
export const MAX_OCCURRENCES_SCANNED = 100_000;

/** A schedule with its rule parsed once, answering the questions rounds and events ask. */
export class CompiledSchedule {
  private readonly rule: Rrule | CronSchedule | null;

  /** @throws InvalidRruleError | InvalidCronError for a rule that does not parse. */
  constructor(readonly schedule: MaintenanceSchedule) {
    this.rule = schedule.kind === 'rrule' ? parseRrule(schedule.rrule) : schedule.kind === 'cron' ? parseCron(schedule.cron) : null;
  }

  /** How long each occurrence lasts (ms). */
  get durationMs(): number {
    return this.schedule.kind === 'once' ? this.schedule.endsAt - this.schedule.startsAt : this.schedule.durationMs;
  }

  /** The occurrence in effect at `at` (`start <= at < end`), the earliest if several overlap; `null` when none is. */
  occurrenceAt(at: number): MaintenanceOccurrence | null {
    return this.overlapping(at, at + 1, 1)[0] ?? null;
  }

  /** Occurrences that overlap `[from, to)`, oldest first, at most `limit`. */
  overlapping(from: number, to: number, limit: number): MaintenanceOccurrence[] {
    const duration = this.durationMs;
    return this.starts(from - duration + 1, to, limit).map((start) => ({ start, end: start + duration }));
  }

  /** Occurrences that start in `[from, to)`, oldest first, at most `limit`. */
  startingIn(from: number, to: number, limit: number): MaintenanceOccurrence[] {
    const duration = this.durationMs;
    return this.starts(from, to, limit).map((start) => ({ start, end: start + duration }));
  }

  private starts(from: number, to: number, limit: number): number[] {
    const { schedule } = this;
    const lower = Math.max(from, schedule.startsAt);
    if (to <= lower) return [];
    if (schedule.kind === 'once') return schedule.startsAt >= from && schedule.startsAt < to && limit > 0 ? [schedule.startsAt] : [];
    if (schedule.kind === 'rrule') return rruleStarts(this.rule as Rrule, schedule.startsAt, lower, to, limit, MAX_OCCURRENCES_SCANNED);
    return cronStarts(this.rule as CronSchedule, lower, to, limit);
  }
}
