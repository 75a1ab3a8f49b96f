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

/** One formatter per timezone: building an Intl.DateTimeFormat costs far more than using one. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a timezone. */
export function localDate(at: Date, timeZone: string): { year: number; month: number; day: number } {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
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

/** One date-and-time formatter per timezone, for offsets. */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** How far the timezone's wall clock is ahead of UTC at an instant, in milliseconds. */
function utcOffsetMs(at: number, timeZone: string): number {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    dateTimeFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wallClock - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar date begins (local midnight) in a timezone. */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const midnightUtc = Date.UTC(year, month - 1, day);
  // the offset at the first guess may differ from the offset at the answer across a DST change: a second pass
  const first = midnightUtc - utcOffsetMs(midnightUtc, timeZone);
  return new Date(midnightUtc - utcOffsetMs(first, timeZone));
}

/** The instant a digest period (`2026-W48` or `2026-11`) begins in a timezone: its Monday or its 1st, 00:00. */
export function periodStart(period: string, timeZone: string): Date {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) {
    const year = Number(week[1]);
    // January 4th is always in week 1; week 1 starts on the Monday on or before it
    const january4 = new Date(Date.UTC(year, 0, 4));
    const monday = new Date(
      january4.getTime() - ((january4.getUTCDay() || 7) - 1) * DAY_MS + (Number(week[2]) - 1) * 7 * DAY_MS,
    );
    return startOfLocalDay(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone);
  }
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return startOfLocalDay(Number(month[1]), Number(month[2]), 1, timeZone);
  throw new RangeError(`not a digest period: ${period}`);
}
