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
