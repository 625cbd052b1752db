import { CompiledSchedule, InvalidCronError, InvalidRruleError, type MaintenanceSchedule } from '@crosscheck/checks';
import { z } from 'zod';
import { MONITOR_ID_PATTERN } from '../round-id';
import { fieldIssuesOf, type FieldIssue } from './field-issue';
import { resourceKeySchema } from './resource-key';

/** Most maintenance windows one coordinator keeps. */
export const MAX_MAINTENANCE_WINDOWS = 500;
/** Most monitors one window names. */
export const MAX_MAINTENANCE_MONITORS = 200;
/** Most labels a window selects by. */
export const MAX_MAINTENANCE_LABELS = 20;
/** Longest one-off window (minutes): 31 days. */
export const MAX_ONE_OFF_MINUTES = 31 * 24 * 60;
/** Longest occurrence of a recurring window (minutes): 7 days. */
export const MAX_RECURRING_MINUTES = 7 * 24 * 60;
/** Longest reason accepted. */
export const MAX_MAINTENANCE_REASON_LENGTH = 500;
/** What a label's name looks like (the monitors' labels, issue 12 item 2, use the same). */
export const LABEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._/-]{0,62}$/;
/** Longest label value. */
export const MAX_LABEL_VALUE_LENGTH = 63;

/** A maintenance body that does not validate; `issues` name every field at fault. Answered with 400. */
export class InvalidMaintenanceError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(`invalid maintenance window: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidMaintenanceError';
  }
}

const typeError =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be ${expected}`;

const timeSchema = z
  .string({ error: typeError('an ISO 8601 time') })
  .refine((value) => z.iso.datetime({ offset: true }).safeParse(value).success, 'must be an ISO 8601 time with a zone (2026-11-25T02:00:00Z)');

/** Labels a window selects monitors by: every one must match (`{"team": "payments"}`). */
export const maintenanceLabelsSchema = z
  .record(
    z.string().regex(LABEL_NAME_PATTERN, 'label names are 1-63 of a-z, 0-9, ".", "_", "/" and "-", starting with a letter or digit'),
    z.string({ error: typeError('a string') }).max(MAX_LABEL_VALUE_LENGTH, `must be at most ${MAX_LABEL_VALUE_LENGTH} characters`),
    { error: typeError('an object of label names to values') },
  )
  .refine((labels) => Object.keys(labels).length <= MAX_MAINTENANCE_LABELS, `must hold at most ${MAX_MAINTENANCE_LABELS} labels`)
  .meta({ examples: [{ team: 'payments', env: 'prod' }] });

const monitorIdsSchema = z
  .array(z.string({ error: typeError('a monitor id') }).regex(MONITOR_ID_PATTERN, 'must be a monitor id (mon_ + 20 characters of a-z and 2-7)'), {
    error: typeError('an array of monitor ids'),
  })
  .max(MAX_MAINTENANCE_MONITORS, `must name at most ${MAX_MAINTENANCE_MONITORS} monitors`)
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `duplicate monitor ${id}` });
    });
  });

/**
 * A `POST /v1/maintenance` (and `PUT`) body as the API validates it (`parseMaintenanceInput`);
 * also the OpenAPI document's request schema.
 */
export const maintenanceInputSchema = z
  .object({
    key: resourceKeySchema.optional(),
    monitorIds: monitorIdsSchema.optional().describe('The monitors it covers, by id; or `labels`.'),
    labels: maintenanceLabelsSchema.optional().describe('The monitors it covers, by their labels (every label given must match); or `monitorIds`.'),
    startsAt: z
      .union([z.literal('now'), timeSchema])
      .optional()
      .describe('When it starts (for a recurring window: when the rule starts applying); left out or `"now"`: now.'),
    endsAt: timeSchema.optional().describe('When a one-off window ends; or `durationMinutes`.'),
    durationMinutes: z
      .number({ error: typeError('a number of minutes') })
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1')
      .max(MAX_ONE_OFF_MINUTES, `must be at most ${MAX_ONE_OFF_MINUTES} (31 days)`)
      .optional()
      .describe(`How long it lasts (a one-off window, instead of \`endsAt\`) or each occurrence lasts (a recurring one, at most ${MAX_RECURRING_MINUTES}).`),
    rrule: z
      .string({ error: typeError('an RFC 5545 RRULE') })
      .max(500, 'must be at most 500 characters')
      .optional()
      .describe('Recurring by an RFC 5545 RRULE, in UTC: FREQ (DAILY, WEEKLY, MONTHLY), INTERVAL, BYDAY, BYMONTHDAY, BYHOUR, BYMINUTE, COUNT, UNTIL.')
      .meta({ examples: ['FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0'] }),
    cron: z
      .string({ error: typeError('a cron expression') })
      .max(200, 'must be at most 200 characters')
      .optional()
      .describe('Recurring by a 5-field cron expression (minute hour day-of-month month day-of-week), in UTC.')
      .meta({ examples: ['0 2 * * SUN'] }),
    reason: z
      .string({ error: typeError('a string') })
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_MAINTENANCE_REASON_LENGTH, `must be at most ${MAX_MAINTENANCE_REASON_LENGTH} characters`)
      .meta({ examples: ['Database upgrade'] }),
  })
  .strict();

/** A validated maintenance body. */
export interface MaintenanceInput {
  key?: string;
  /** Empty when the window selects by labels. */
  monitorIds: string[];
  /** `null` when the window names monitors by id. */
  labels: Record<string, string> | null;
  schedule: MaintenanceSchedule;
  reason: string;
}

/**
 * Validates a create or replace body; `now` (epoch ms) stands for a `startsAt` left out or `"now"`.
 * Throws {@link InvalidMaintenanceError} naming every field at fault.
 */
export function parseMaintenanceInput(body: unknown, now: number): MaintenanceInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidMaintenanceError([{ path: '', message: 'the body must be a JSON object' }]);
  }
  const parsed = maintenanceInputSchema.safeParse(body);
  if (!parsed.success) throw new InvalidMaintenanceError(fieldIssuesOf(parsed.error));
  const { key, monitorIds, labels, startsAt, endsAt, durationMinutes, rrule, cron, reason } = parsed.data;
  const issues: FieldIssue[] = [];
  const hasLabels = labels !== undefined && Object.keys(labels).length > 0;
  if (monitorIds !== undefined && labels !== undefined) issues.push({ path: 'labels', message: 'give monitorIds or labels, not both' });
  else if (!hasLabels && (monitorIds === undefined || monitorIds.length === 0)) issues.push({ path: 'monitorIds', message: 'name at least one monitor (or select them by labels)' });
  const start = startsAt === undefined || startsAt === 'now' ? now : Date.parse(startsAt);
  let schedule: MaintenanceSchedule | null = null;
  if (rrule !== undefined || cron !== undefined) {
    if (rrule !== undefined && cron !== undefined) issues.push({ path: 'cron', message: 'give rrule or cron, not both' });
    if (endsAt !== undefined) issues.push({ path: 'endsAt', message: 'a recurring window ends by its rule (UNTIL or COUNT); give durationMinutes for each occurrence' });
    if (durationMinutes === undefined) issues.push({ path: 'durationMinutes', message: 'is required for a recurring window (how long each occurrence lasts)' });
    else if (durationMinutes > MAX_RECURRING_MINUTES) issues.push({ path: 'durationMinutes', message: `must be at most ${MAX_RECURRING_MINUTES} (7 days) for a recurring window` });
    const durationMs = (durationMinutes ?? 1) * 60_000;
    schedule = rrule !== undefined ? { kind: 'rrule', startsAt: start, durationMs, rrule: rrule.trim() } : { kind: 'cron', startsAt: start, durationMs, cron: (cron ?? '').trim() };
    try {
      new CompiledSchedule(schedule);
    } catch (error) {
      if (!(error instanceof InvalidRruleError || error instanceof InvalidCronError)) throw error;
      issues.push({ path: rrule !== undefined ? 'rrule' : 'cron', message: error.message });
    }
  } else if (endsAt !== undefined && durationMinutes !== undefined) {
    issues.push({ path: 'durationMinutes', message: 'give endsAt or durationMinutes, not both' });
  } else if (endsAt === undefined && durationMinutes === undefined) {
    issues.push({ path: 'endsAt', message: 'is required (or durationMinutes, or a recurrence: rrule or cron)' });
  } else {
    const end = endsAt !== undefined ? Date.parse(endsAt) : start + durationMinutes! * 60_000;
    if (end <= start) issues.push({ path: 'endsAt', message: 'must be after startsAt' });
    else if (end - start > MAX_ONE_OFF_MINUTES * 60_000) issues.push({ path: 'endsAt', message: 'must be at most 31 days after startsAt' });
    schedule = { kind: 'once', startsAt: start, endsAt: end };
  }
  if (issues.length > 0 || schedule === null) throw new InvalidMaintenanceError(issues);
  return {
    ...(key !== undefined ? { key } : {}),
    monitorIds: monitorIds ?? [],
    labels: hasLabels ? labels : null,
    schedule,
    reason,
  };
}

/** Whether a monitor's labels (absent = none) carry every label a window selects by. */
export function labelsMatch(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  const own = labels ?? {};
  return Object.entries(selector).every(([name, value]) => own[name] === value);
}
