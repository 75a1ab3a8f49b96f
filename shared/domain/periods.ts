/**
 * Digest periods: weekly subscribers get one e-mail per ISO week, monthly ones one per calendar month, both
 * reckoned in the state's timezone.
 */

export const CADENCES = ['weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface DigestPeriods {
  /** ISO week, e.g. `2026-W48`. */
  readonly weekly: string;
  /** Calendar month, e.g. `2026-11`. */
  readonly monthly: string;
}

/** A day of 24 hours, in milliseconds. */
export const DAY_MS = 86_400_000;

/** Formatters by timezone and kind: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

const DATE_PARTS = { year: 'numeric', month: 'numeric', day: 'numeric' } as const;
const DATE_TIME_PARTS = { ...DATE_PARTS, hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;

/** The parts of an instant's wall-clock reading in a timezone, as numbers. */
function wallClock(at: Date, timeZone: string, withTime: boolean): Record<string, number> {
  const key = `${withTime ? 'T' : 'D'}${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      ...(withTime ? DATE_TIME_PARTS : DATE_PARTS),
    });
    formatters.set(key, format);
  }
  return Object.fromEntries(format.formatToParts(at).map((part) => [part.type, Number(part.value)]));
}

/** The calendar date of an instant in a timezone. */
export function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  const { year = Number.NaN, month = Number.NaN, day = Number.NaN } = wallClock(at, timeZone, false);
  return { year, month, day };
}

/** The calendar date of an instant in a timezone, as `YYYY-MM-DD`. */
export function localIsoDate(at: Date, timeZone: string): string {
  const { year, month, day } = localDate(at, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO 8601 week-numbering year and week of a calendar date. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7; // Monday 1 … Sunday 7
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const weekYear = date.getUTCFullYear();
  const firstOfYear = Date.UTC(weekYear, 0, 1);
  const week = Math.ceil(((date.getTime() - firstOfYear) / DAY_MS + 1) / 7);
  return { year: weekYear, week };
}

export function digestPeriods(at: Date, timeZone: string): DigestPeriods {
  const { year, month, day } = localDate(at, timeZone);
  const week = isoWeek(year, month, day);
  return {
    weekly: `${week.year}-W${String(week.week).padStart(2, '0')}`,
    monthly: `${year}-${String(month).padStart(2, '0')}`,
  };
}

/** How far the timezone's wall clock is ahead of UTC at an instant, in milliseconds. */
function utcOffsetMs(at: number, timeZone: string): number {
  const parts = wallClock(new Date(at), timeZone, true);
  const reading = Date.UTC(
    parts.year ?? Number.NaN,
    (parts.month ?? Number.NaN) - 1,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
  );
  return reading - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar date begins (local midnight) in a timezone. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const midnightUtc = Date.UTC(year, month - 1, day);
  // the offset at the first guess may differ from the offset at the answer across a DST change: a second pass
  const first = midnightUtc - utcOffsetMs(midnightUtc, timeZone);
  return new Date(midnightUtc - utcOffsetMs(first, timeZone));
}

/** The first calendar day of a digest period (`2026-W48`: its Monday; `2026-11`: the 1st), as a UTC date. */
function firstDay(period: string): Date {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) {
    // January 4th is always in week 1; week 1 starts on the Monday on or before it
    const january4 = new Date(Date.UTC(Number(week[1]), 0, 4));
    return new Date(
      january4.getTime() - ((january4.getUTCDay() || 7) - 1) * DAY_MS + (Number(week[2]) - 1) * 7 * DAY_MS,
    );
  }
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
  throw new RangeError(`not a digest period: ${period}`);
}

/** The instant a digest period (`2026-W48` or `2026-11`) begins in a timezone: its Monday or its 1st, 00:00. */
export function periodStart(period: string, timeZone: string): Date {
  const day = firstDay(period);
  return startOfLocalDay(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), timeZone);
}

/** The first day (`YYYY-MM-DD`) of the period before `period`: the Monday a week earlier, or the 1st a month earlier. */
export function previousPeriodFirstDay(period: string): string {
  const day = firstDay(period);
  const previous = period.includes('W')
    ? new Date(day.getTime() - 7 * DAY_MS)
    : new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - 1, 1));
  return previous.toISOString().slice(0, 10);
}
