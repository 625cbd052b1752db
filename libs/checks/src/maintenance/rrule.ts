/**
 * A small RFC 5545 recurrence rule: the subset maintenance windows need, in UTC. Parsed once into
 * this shape ({@link parseRrule}), expanded by {@link rruleStarts}. Pure: no clock, no time zone
 * database (every time is UTC).
 */
export interface Rrule {
  freq: 'DAILY' | 'WEEKLY' | 'MONTHLY';
  interval: number;
  /** Weekdays, 0 = Sunday ... 6 = Saturday; empty = the weekday of the first occurrence (WEEKLY) or any. */
  byDay: number[];
  /** Days of the month, 1..31 or -31..-1 (from the end); empty = any (MONTHLY: the day of the first occurrence). */
  byMonthDay: number[];
  /** Hours 0..23; empty = the hour of the first occurrence. */
  byHour: number[];
  /** Minutes 0..59; empty = the minute of the first occurrence. */
  byMinute: number[];
  /** Occurrences in all, counting from the first; `null` = unbounded. */
  count: number | null;
  /** Epoch ms: no occurrence starts after it; `null` = unbounded. */
  until: number | null;
}

/** Most occurrences a `COUNT` may ask for. */
export const MAX_RRULE_COUNT = 1_000;
/** Largest `INTERVAL`. */
export const MAX_RRULE_INTERVAL = 1_000;

/** A rule the parser refuses; `message` says why, in words. */
export class InvalidRruleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRruleError';
  }
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * Parses `FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0` (an optional `RRULE:` prefix is allowed).
 * Parts: FREQ (DAILY, WEEKLY, MONTHLY), INTERVAL, BYDAY (plain weekdays, no ordinals), BYMONTHDAY,
 * BYHOUR, BYMINUTE, COUNT, UNTIL (`YYYYMMDDTHHMMSSZ` or `YYYYMMDD`, UTC). COUNT and UNTIL exclude
 * each other (RFC 5545). @throws InvalidRruleError
 */
export function parseRrule(text: string): Rrule {
  const body = text.trim().replace(/^RRULE:/i, '');
  if (body === '') throw new InvalidRruleError('is empty');
  const parts = new Map<string, string>();
  for (const part of body.split(';')) {
    const [name, value, extra] = part.split('=');
    if (!name || value === undefined || value === '' || extra !== undefined) throw new InvalidRruleError(`"${part}" is not NAME=VALUE`);
    const key = name.toUpperCase();
    if (parts.has(key)) throw new InvalidRruleError(`${key} is given twice`);
    parts.set(key, value.toUpperCase());
  }
  for (const key of parts.keys()) {
    if (!['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYHOUR', 'BYMINUTE', 'COUNT', 'UNTIL'].includes(key)) {
      throw new InvalidRruleError(`${key} is not supported (FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYHOUR, BYMINUTE, COUNT, UNTIL are)`);
    }
  }
  const freq = parts.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') throw new InvalidRruleError('FREQ must be DAILY, WEEKLY or MONTHLY');
  const interval = parts.has('INTERVAL') ? integer(parts.get('INTERVAL')!, 'INTERVAL', 1, MAX_RRULE_INTERVAL) : 1;
  const byDay = list(parts.get('BYDAY'), (item) => {
    const day = WEEKDAYS.indexOf(item as (typeof WEEKDAYS)[number]);
    if (day === -1) throw new InvalidRruleError(`BYDAY "${item}" must be one of ${WEEKDAYS.join(', ')} (ordinals like 1MO are not supported)`);
    return day;
  });
  const byMonthDay = list(parts.get('BYMONTHDAY'), (item) => {
    const day = integer(item, 'BYMONTHDAY', -31, 31);
    if (day === 0) throw new InvalidRruleError('BYMONTHDAY must not be 0');
    return day;
  });
  const byHour = list(parts.get('BYHOUR'), (item) => integer(item, 'BYHOUR', 0, 23));
  const byMinute = list(parts.get('BYMINUTE'), (item) => integer(item, 'BYMINUTE', 0, 59));
  const count = parts.has('COUNT') ? integer(parts.get('COUNT')!, 'COUNT', 1, MAX_RRULE_COUNT) : null;
  const until = parts.has('UNTIL') ? untilOf(parts.get('UNTIL')!) : null;
  if (count !== null && until !== null) throw new InvalidRruleError('COUNT and UNTIL must not both be given');
  return { freq, interval, byDay, byMonthDay, byHour, byMinute, count, until };
}

/**
 * The starts (epoch ms, ascending) of the rule's occurrences from `dtstart` that fall in
 * `[from, to)`, at most `limit` of them. An occurrence is a time at or after `dtstart` that the rule
 * matches; `dtstart` itself only when it matches (RFC 5545 counts it regardless; a window's first
 * occurrence is simply the rule's first match). Without COUNT the expansion jumps straight to the
 * period holding `from`; with COUNT (bounded by {@link MAX_RRULE_COUNT}) it counts from the start.
 * Bounded: at most `scanMax` candidate times are looked at.
 */
export function rruleStarts(rule: Rrule, dtstart: number, from: number, to: number, limit: number, scanMax = 100_000): number[] {
  const found: number[] = [];
  if (to <= from || limit <= 0) return found;
  const start = new Date(dtstart);
  const hours = rule.byHour.length > 0 ? [...rule.byHour].sort((a, b) => a - b) : [start.getUTCHours()];
  const minutes = rule.byMinute.length > 0 ? [...rule.byMinute].sort((a, b) => a - b) : [start.getUTCMinutes()];
  const seconds = start.getUTCSeconds() * 1_000 + start.getUTCMilliseconds();
  const startDay = Math.floor(dtstart / DAY_MS);
  const byDay = rule.byDay.length > 0 ? rule.byDay : rule.freq === 'WEEKLY' ? [start.getUTCDay()] : [];
  const byMonthDay = rule.byMonthDay.length > 0 ? rule.byMonthDay : rule.freq === 'MONTHLY' && rule.byDay.length === 0 ? [start.getUTCDate()] : [];

  let seen = 0;
  let scanned = 0;
  // Periods are counted from the one holding dtstart; without COUNT, skip to the period before `from`.
  let period = 0;
  if (rule.count === null) {
    const earliest = Math.max(from, dtstart);
    period = Math.max(0, Math.floor(periodOf(rule.freq, earliest, dtstart) / rule.interval) - 1);
  }
  for (; scanned < scanMax; period++) {
    const days = daysOfPeriod(rule.freq, dtstart, period * rule.interval);
    if (days === null) break;
    for (const day of days) {
      if (day < startDay) continue;
      const date = new Date(day * DAY_MS);
      if (byDay.length > 0 && !byDay.includes(date.getUTCDay())) continue;
      if (byMonthDay.length > 0 && !monthDayMatches(date, byMonthDay)) continue;
      for (const hour of hours) {
        for (const minute of minutes) {
          if (++scanned > scanMax) return found;
          const at = day * DAY_MS + hour * 3_600_000 + minute * 60_000 + seconds;
          if (at < dtstart) continue;
          if (rule.until !== null && at > rule.until) return found;
          seen++;
          if (rule.count !== null && seen > rule.count) return found;
          if (at >= to) return found;
          if (at >= from) {
            found.push(at);
            if (found.length >= limit) return found;
          }
        }
      }
    }
  }
  return found;
}

/** The period (days, weeks or months) `at` is in, counted from the one holding `dtstart`. */
function periodOf(freq: Rrule['freq'], at: number, dtstart: number): number {
  if (freq === 'DAILY') return Math.floor(at / DAY_MS) - Math.floor(dtstart / DAY_MS);
  if (freq === 'WEEKLY') return Math.floor((weekStart(at) - weekStart(dtstart)) / WEEK_MS);
  const a = new Date(at);
  const s = new Date(dtstart);
  return (a.getUTCFullYear() - s.getUTCFullYear()) * 12 + a.getUTCMonth() - s.getUTCMonth();
}

/** The days (epoch days) of the period `offset` periods after the one holding `dtstart`. */
function daysOfPeriod(freq: Rrule['freq'], dtstart: number, offset: number): number[] | null {
  if (freq === 'DAILY') return [Math.floor(dtstart / DAY_MS) + offset];
  if (freq === 'WEEKLY') {
    const first = Math.floor((weekStart(dtstart) + offset * WEEK_MS) / DAY_MS);
    return Array.from({ length: 7 }, (_, i) => first + i);
  }
  const s = new Date(dtstart);
  const month = s.getUTCMonth() + offset;
  const year = s.getUTCFullYear() + Math.floor(month / 12);
  if (year > 9_999) return null;
  const firstMs = Date.UTC(year, ((month % 12) + 12) % 12, 1);
  const length = daysInMonth(new Date(firstMs));
  const first = Math.floor(firstMs / DAY_MS);
  return Array.from({ length }, (_, i) => first + i);
}

/** Weeks start on Monday (RFC 5545's default WKST). */
function weekStart(at: number): number {
  const day = Math.floor(at / DAY_MS);
  const weekday = (new Date(day * DAY_MS).getUTCDay() + 6) % 7;
  return (day - weekday) * DAY_MS;
}

function monthDayMatches(date: Date, byMonthDay: readonly number[]): boolean {
  const day = date.getUTCDate();
  const fromEnd = day - daysInMonth(date) - 1;
  return byMonthDay.includes(day) || byMonthDay.includes(fromEnd);
}

function daysInMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

function integer(text: string, name: string, min: number, max: number): number {
  if (!/^[+-]?\d{1,5}$/.test(text)) throw new InvalidRruleError(`${name} "${text}" must be a whole number`);
  const value = Number(text);
  if (value < min || value > max) throw new InvalidRruleError(`${name} ${value} must be ${min} to ${max}`);
  return value;
}

function list<T>(value: string | undefined, item: (text: string) => T): T[] {
  if (value === undefined) return [];
  const items = value.split(',').map(item);
  return [...new Set(items)];
}

function untilOf(text: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(text);
  if (!match) throw new InvalidRruleError(`UNTIL "${text}" must be YYYYMMDDTHHMMSSZ (UTC) or YYYYMMDD`);
  const [, y, mo, d, h = '23', mi = '59', s = '59'] = match;
  const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (new Date(at).getUTCDate() !== Number(d)) throw new InvalidRruleError(`UNTIL "${text}" is not a date`);
  return at;
}
