/**
 * The local scheduler's reading of EventBridge Scheduler expressions: fire times in the state's timezone
 * (across daylight-saving changes) and rate periods. Pure: no emulator, no timer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FunctionRunner } from '../../infra/local/function-runner';
import { createStackLogger } from '../../infra/local/logger';
import {
  nextFireTime,
  parseScheduleExpression,
  type ScheduledEvent,
  ScheduleExpressionError,
  Scheduler,
} from '../../infra/local/scheduler';

const NEW_YORK = 'America/New_York';

function nextAfter(expression: string, after: string, timezone = NEW_YORK): string | undefined {
  return nextFireTime(parseScheduleExpression(expression, timezone), new Date(after))?.toISOString();
}

describe('cron expressions', () => {
  const weeklyDigest = 'cron(0 7 ? * MON *)';

  it('fires on Monday at 07:00 New York time, EST before the spring change and EDT after it', () => {
    // Monday 2 March 2026 07:00 EST is 12:00Z; clocks go forward on Sunday 8 March
    expect(nextAfter(weeklyDigest, '2026-03-02T11:59:00Z')).toBe('2026-03-02T12:00:00.000Z');
    expect(nextAfter(weeklyDigest, '2026-03-02T12:00:00Z')).toBe('2026-03-09T11:00:00.000Z');
  });

  it('goes back to 12:00Z after the autumn change', () => {
    // Monday 26 October 2026 07:00 EDT is 11:00Z; clocks go back on Sunday 1 November
    expect(nextAfter(weeklyDigest, '2026-10-26T11:00:00Z')).toBe('2026-11-02T12:00:00.000Z');
  });

  it('reads day-of-week numbers as EventBridge does, 1 = Sunday', () => {
    expect(nextAfter('cron(0 7 ? * 2 *)', '2026-03-02T12:00:00Z')).toBe('2026-03-09T11:00:00.000Z');
    expect(nextAfter('cron(30 9 ? * 1 *)', '2026-03-02T12:00:00Z')).toBe('2026-03-08T13:30:00.000Z');
  });

  it('fires on a day of the month when day-of-week is ?', () => {
    expect(nextAfter('cron(0 8 1 * ? *)', '2026-10-26T12:00:00Z')).toBe('2026-11-01T13:00:00.000Z');
  });

  it('does not fire again after its last year', () => {
    expect(nextAfter('cron(0 7 ? * MON 2020)', '2026-03-01T00:00:00Z')).toBeUndefined();
  });

  it('refuses expressions EventBridge refuses', () => {
    expect(() => parseScheduleExpression('cron(0 7 * * MON *)', NEW_YORK)).toThrow(ScheduleExpressionError);
    expect(() => parseScheduleExpression('cron(0 7 ? * MON)', NEW_YORK)).toThrow(ScheduleExpressionError);
    expect(() => parseScheduleExpression('every monday', NEW_YORK)).toThrow(ScheduleExpressionError);
  });
});

describe('rate expressions', () => {
  const anchor = new Date('2026-03-07T10:00:00Z');

  it('first fires one period after the start', () => {
    const rate = parseScheduleExpression('rate(5 minutes)', NEW_YORK);

    expect(nextFireTime(rate, anchor, anchor)?.toISOString()).toBe('2026-03-07T10:05:00.000Z');
  });

  it('keeps to the grid of the start time, whatever the moment asked about', () => {
    const rate = parseScheduleExpression('rate(1 hour)', NEW_YORK);

    expect(nextFireTime(rate, new Date('2026-03-07T12:30:00Z'), anchor)?.toISOString()).toBe(
      '2026-03-07T13:00:00.000Z',
    );
    expect(nextFireTime(rate, new Date('2026-03-07T13:00:00Z'), anchor)?.toISOString()).toBe(
      '2026-03-07T14:00:00.000Z',
    );
  });

  it('counts days in elapsed time, not in the timezone, as EventBridge does', () => {
    const rate = parseScheduleExpression('rate(1 day)', NEW_YORK);

    // across the spring change: 24 hours later, not 07:00 local
    expect(nextFireTime(rate, anchor, anchor)?.toISOString()).toBe('2026-03-08T10:00:00.000Z');
  });

  it('refuses a rate of zero', () => {
    expect(() => parseScheduleExpression('rate(0 minutes)', NEW_YORK)).toThrow(ScheduleExpressionError);
  });
});

describe('Scheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function schedulerWith(expression: string, events: ScheduledEvent[]): Scheduler {
    const runner = new FunctionRunner({
      root: process.cwd(),
      region: 'us-east-1',
      namePrefix: 'vision-progress-test',
      handlers: {
        digestPlanner: async (event: ScheduledEvent) => {
          events.push(event);
          return { enqueued: 0 };
        },
      },
    });
    return new Scheduler({
      schedules: [{ name: 'digest', expression, timezone: NEW_YORK, target: 'digestPlanner' }],
      runner,
      logger: createStackLogger(true),
    });
  }

  it('fire() invokes the target with the scheduled time, the input the schedule passes', async () => {
    const events: ScheduledEvent[] = [];
    const scheduler = schedulerWith('cron(0 7 ? * MON *)', events);

    const result = await scheduler.fire('digest', new Date('2026-03-09T11:00:00.250Z'));

    expect(result).toEqual({ enqueued: 0 });
    expect(events).toEqual([{ scheduledTime: '2026-03-09T11:00:00Z' }]);
  });

  it('fires the target when the time comes, and again a period later', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-07T10:00:00Z') });
    const events: ScheduledEvent[] = [];
    const scheduler = schedulerWith('rate(1 minute)', events);
    scheduler.start(new Date());

    await vi.advanceTimersByTimeAsync(60_000);
    await vi.advanceTimersByTimeAsync(60_000);
    await scheduler.stop();

    expect(events).toEqual([
      { scheduledTime: '2026-03-07T10:01:00Z' },
      { scheduledTime: '2026-03-07T10:02:00Z' },
    ]);
  });

  it('rejects fire() of a schedule it does not know', async () => {
    const scheduler = schedulerWith('rate(1 hour)', []);

    await expect(scheduler.fire('nightly')).rejects.toThrow(/unknown schedule "nightly"/);
  });
});
