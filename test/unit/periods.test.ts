import { describe, expect, it } from 'vitest';
import { digestPeriods, isoWeek } from '../../shared/domain/periods';

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
