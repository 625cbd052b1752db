/**
 * A 5-field cron expression (`minute hour day-of-month month day-of-week`), in UTC, parsed once
 * into the sets of values each field allows ({@link parseCron}). Fields take `*`, numbers, ranges
 * `a-b`, steps `*\/n` and `a-b/n`, and lists of those; months and weekdays also take names
 * (`JAN`, `MON`); weekday 7 is Sunday too. As in Vixie cron, when both day fields are restricted a
 * day matches either.
 */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Whether day-of-month / day-of-week were `*` (restricting neither). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

/** An expression the parser refuses; `message` says why, in words. */
export class InvalidCronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidCronError';
  }
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const DAY_MS = 86_400_000;

/** @throws InvalidCronError */
export function parseCron(text: string): CronSchedule {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) throw new InvalidCronError(`must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const daysOfWeek = field(dayOfWeek, 'day-of-week', 0, 7, WEEKDAYS, 0);
  if (daysOfWeek.has(7)) {
    daysOfWeek.delete(7);
    daysOfWeek.add(0);
  }
  return {
    minutes: field(minute, 'minute', 0, 59),
    hours: field(hour, 'hour', 0, 23),
    daysOfMonth: field(dayOfMonth, 'day-of-month', 1, 31),
    months: field(month, 'month', 1, 12, MONTHS, 1),
    daysOfWeek,
    anyDayOfMonth: dayOfMonth === '*' || dayOfMonth === '?',
    anyDayOfWeek: dayOfWeek === '*' || dayOfWeek === '?',
  };
}

/**
 * The times (epoch ms, whole minutes, ascending) the expression fires in `[from, to)`, at most
 * `limit`. Walks day by day, skipping days that do not match, so a sparse schedule over a long
 * span costs one check per day; bounded by `scanMaxDays`.
 */
export function cronStarts(cron: CronSchedule, from: number, to: number, limit: number, scanMaxDays = 1_000): number[] {
  const found: number[] = [];
  if (to <= from || limit <= 0) return found;
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  const firstDay = Math.floor(from / DAY_MS);
  const lastDay = Math.floor((to - 1) / DAY_MS);
  for (let day = firstDay; day <= lastDay && day - firstDay < scanMaxDays; day++) {
    if (!dayMatches(cron, new Date(day * DAY_MS))) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const at = day * DAY_MS + hour * 3_600_000 + minute * 60_000;
        if (at < from) continue;
        if (at >= to) return found;
        found.push(at);
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
}

function dayMatches(cron: CronSchedule, date: Date): boolean {
  if (!cron.months.has(date.getUTCMonth() + 1)) return false;
  const byMonthDay = cron.daysOfMonth.has(date.getUTCDate());
  const byWeekday = cron.daysOfWeek.has(date.getUTCDay());
  if (cron.anyDayOfMonth && cron.anyDayOfWeek) return true;
  if (cron.anyDayOfMonth) return byWeekday;
  if (cron.anyDayOfWeek) return byMonthDay;
  return byMonthDay || byWeekday;
}

function field(text: string, name: string, min: number, max: number, names: readonly string[] = [], nameBase = 0): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined || range === '') throw new InvalidCronError(`${name} "${item}" is not a value, range or step`);
    const step = stepText === undefined ? 1 : value(stepText, `${name} step`, 1, max - min + 1, [], 0);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      [low, high] = [min, max];
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      low = value(a, name, min, max, names, nameBase);
      high = value(b, name, min, max, names, nameBase);
      if (high < low) throw new InvalidCronError(`${name} range "${range}" runs backwards`);
    } else {
      low = value(range, name, min, max, names, nameBase);
      high = stepText === undefined ? low : max;
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function value(text: string, name: string, min: number, max: number, names: readonly string[], nameBase: number): number {
  const index = names.indexOf(text.toUpperCase());
  if (index !== -1) return index + nameBase;
  if (!/^\d{1,2}$/.test(text)) throw new InvalidCronError(`${name} "${text}" must be a number ${min} to ${max}${names.length > 0 ? ' or a name' : ''}`);
  const n = Number(text);
  if (n < min || n > max) throw new InvalidCronError(`${name} ${n} must be ${min} to ${max}`);
  return n;
}
