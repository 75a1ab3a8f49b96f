import { describe, expect, it } from 'vitest';
import { digestPeriods, isoWeek, periodStart, previousPeriodFirstDay } from '../../shared/domain/periods';

describe('isoWeek', () => {
  it.each([
    [2026, 1, 1, 2026, 1], // a Thursday: week 1 of its own year
    [2027, 1, 1, 2026, 53], // a Friday: last week of the year before
    [2024, 12, 30, 2025, 1], // a Monday that starts week 1 of the next year
    [2026, 11, 25, 2026, 48],
  ])('%i-%i-%i is %i-W%i', (year, month, day, weekYear, week) => {
    expect(isoWeek(year, month, day)).toEqual({ year: weekYear, week });
  });
});

describe('digestPeriods', () => {
  it('reckons the period in the state timezone, not UTC', () => {
    // Monday 2026-11-30 03:00 UTC is still Sunday 2026-11-29 in New York: previous week, November
    const at = new Date('2026-11-30T03:00:00Z');
    expect(digestPeriods(at, 'America/New_York')).toEqual({ weekly: '2026-W48', monthly: '2026-11' });
    expect(digestPeriods(at, 'UTC')).toEqual({ weekly: '2026-W49', monthly: '2026-11' });
  });

  it('turns the month at local midnight', () => {
    expect(digestPeriods(new Date('2026-12-01T04:59:00Z'), 'America/New_York').monthly).toBe('2026-11');
    expect(digestPeriods(new Date('2026-12-01T05:00:00Z'), 'America/New_York').monthly).toBe('2026-12');
  });
});

describe('periodStart', () => {
  it('starts an ISO week on its Monday at local midnight', () => {
    expect(periodStart('2026-W48', 'America/New_York').toISOString()).toBe('2026-11-23T05:00:00.000Z');
    // week 1 of 2027 starts in 2027 (Jan 4 is a Monday); week 53 of 2026 starts on Dec 28
    expect(periodStart('2027-W01', 'UTC').toISOString()).toBe('2027-01-04T00:00:00.000Z');
    expect(periodStart('2026-W53', 'UTC').toISOString()).toBe('2026-12-28T00:00:00.000Z');
    // week 1 of 2026 starts on Monday Dec 29, 2025
    expect(periodStart('2026-W01', 'Pacific/Honolulu').toISOString()).toBe('2025-12-29T10:00:00.000Z');
  });

  it('starts a month on its 1st at local midnight, across DST changes', () => {
    expect(periodStart('2026-11', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(periodStart('2026-03', 'America/New_York').toISOString()).toBe('2026-03-01T05:00:00.000Z');
    expect(periodStart('2026-04', 'America/Chicago').toISOString()).toBe('2026-04-01T05:00:00.000Z');
    expect(periodStart('2026-07', 'Asia/Kolkata').toISOString()).toBe('2026-06-30T18:30:00.000Z');
  });

  it('is the start of the period digestPeriods names', () => {
    for (const at of ['2026-11-23T05:00:00.000Z', '2026-11-01T04:00:00.000Z', '2026-03-08T07:00:00.000Z']) {
      const periods = digestPeriods(new Date(at), 'America/New_York');
      const weekStart = periodStart(periods.weekly, 'America/New_York');
      const monthStart = periodStart(periods.monthly, 'America/New_York');
      expect(digestPeriods(weekStart, 'America/New_York').weekly).toBe(periods.weekly);
      expect(digestPeriods(new Date(weekStart.getTime() - 1), 'America/New_York').weekly).not.toBe(
        periods.weekly,
      );
      expect(digestPeriods(monthStart, 'America/New_York').monthly).toBe(periods.monthly);
      expect(digestPeriods(new Date(monthStart.getTime() - 1), 'America/New_York').monthly).not.toBe(
        periods.monthly,
      );
    }
  });

  it('refuses what is not a period', () => {
    expect(() => periodStart('2026-11-01', 'UTC')).toThrow(RangeError);
  });
});

describe('previousPeriodFirstDay', () => {
  it.each([
    ['2026-W48', '2026-11-16'],
    ['2027-W01', '2026-12-28'],
    ['2026-W01', '2025-12-22'],
    ['2026-11', '2026-10-01'],
    ['2027-01', '2026-12-01'],
  ])('%s follows a period that began on %s', (period, first) => {
    expect(previousPeriodFirstDay(period)).toBe(first);
  });
});
