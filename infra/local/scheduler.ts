/**
 * The local EventBridge Scheduler: fires each topology schedule at the times of the state's expression, in the
 * state's timezone, and invokes the target function with the scheduler's input. `fire()` runs one at will.
 *
 * Expressions are EventBridge's: `cron(minutes hours day-of-month month day-of-week year)`, where one of the two
 * day fields is `?` and day-of-week numbers run 1 (SUN) to 7 (SAT); and `rate(value unit)`, whose first run is one
 * period after the scheduler starts (a restart of the local stack does not fire every rate schedule at once).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Cron } from 'croner';
import type { FunctionName } from '../topology';
import type { FunctionRunner } from './function-runner';

/** Thrown for an expression EventBridge Scheduler would refuse. */
export class ScheduleExpressionError extends Error {
  override readonly name = 'ScheduleExpressionError';
}

/** A parsed schedule expression. */
export type ScheduleExpression =
  | { readonly kind: 'cron'; readonly cron: Cron }
  | { readonly kind: 'rate'; readonly periodMs: number };

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Parses `cron(...)` (in `timezone`) or `rate(...)`; throws ScheduleExpressionError naming what is wrong. */
export function parseScheduleExpression(expression: string, timezone: string): ScheduleExpression {
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    const unit = UNIT_MS[rate[2] ?? ''];
    if (!unit || value < 1) throw new ScheduleExpressionError(`${expression}: the rate must be at least 1`);
    return { kind: 'rate', periodMs: value * unit };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = cron?.[1]?.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) {
    throw new ScheduleExpressionError(
      `${expression}: expected cron(minutes hours day-of-month month day-of-week year)`,
    );
  }
  const dayOfMonth = fields[2];
  const dayOfWeek = fields[4];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleExpressionError(`${expression}: exactly one of day-of-month and day-of-week must be ?`);
  }
  try {
    // croner: seconds first; Quartz weekday numbers (1 = SUN) as EventBridge; `?` is `*`, so AND both day fields
    const pattern = `0 ${fields.join(' ')}`;
    return {
      kind: 'cron',
      cron: new Cron(pattern, {
        timezone,
        mode: '7-part',
        alternativeWeekdays: true,
        domAndDow: true,
        paused: true,
      }),
    };
  } catch (error) {
    throw new ScheduleExpressionError(`${expression}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The first fire time strictly after `after`; undefined when the expression never fires again (a past year).
 * `anchor` is when a rate schedule started.
 */
export function nextFireTime(
  expression: ScheduleExpression,
  after: Date,
  anchor: Date = after,
): Date | undefined {
  if (expression.kind === 'cron') return expression.cron.nextRun(after) ?? undefined;
  const elapsed = after.getTime() - anchor.getTime();
  const periods = Math.max(1, Math.floor(elapsed / expression.periodMs) + 1);
  return new Date(anchor.getTime() + periods * expression.periodMs);
}

/**
 * The input the schedule passes its target: `{scheduledTime: <aws.scheduler.scheduled-time>}`, as the CDK
 * schedule declares it (infra/constructs/digest-schedule.ts).
 */
export interface ScheduledEvent {
  readonly scheduledTime: string;
}

/** A schedule to run. */
export interface ScheduleDefinition {
  /** Topology name of the schedule (`digest`). */
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  readonly target: FunctionName;
}

export interface SchedulerOptions {
  readonly schedules: readonly ScheduleDefinition[];
  readonly runner: FunctionRunner;
  readonly logger: Logger;
}

/** setTimeout takes at most 2^31-1 ms (about 24.8 days); a later fire time is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface ArmedSchedule {
  readonly definition: ScheduleDefinition;
  readonly expression: ScheduleExpression;
  next: Date | undefined;
  timer?: NodeJS.Timeout;
}

/** Fires the schedules until stopped. */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #schedules = new Map<string, ArmedSchedule>();
  readonly #running = new Set<Promise<unknown>>();
  #started: Date | undefined;

  /** Parses every expression up front, so that a bad one fails the start rather than the first fire. */
  constructor(options: SchedulerOptions) {
    this.#options = options;
    for (const definition of options.schedules) {
      const expression = parseScheduleExpression(definition.expression, definition.timezone);
      this.#schedules.set(definition.name, { definition, expression, next: undefined });
    }
  }

  /** Arms a timer per schedule. */
  start(now: Date = new Date()): void {
    this.#started = now;
    for (const schedule of this.#schedules.values()) {
      schedule.next = nextFireTime(schedule.expression, now, now);
      this.#arm(schedule);
      this.#options.logger.info('schedule armed', {
        schedule: schedule.definition.name,
        expression: schedule.definition.expression,
        timezone: schedule.definition.timezone,
        next: schedule.next?.toISOString(),
      });
    }
  }

  /** Clears the timers; resolves once the invocations in flight are done. */
  async stop(): Promise<void> {
    for (const schedule of this.#schedules.values()) clearTimeout(schedule.timer);
    this.#started = undefined;
    await Promise.allSettled([...this.#running]);
  }

  /** When each schedule fires next (while started). */
  nextFireTimes(): Record<string, Date | undefined> {
    return Object.fromEntries([...this.#schedules].map(([name, schedule]) => [name, schedule.next]));
  }

  /** Invokes the schedule's target now, as if the schedule had fired at `at`; resolves with its result. */
  fire(name: string, at: Date = new Date()): Promise<unknown> {
    const schedule = this.#schedules.get(name);
    if (!schedule) {
      return Promise.reject(
        new Error(`unknown schedule "${name}": known are ${[...this.#schedules.keys()].join(', ')}`),
      );
    }
    const event: ScheduledEvent = {
      // EventBridge's <aws.scheduler.scheduled-time> has no fraction of a second
      scheduledTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    const invocation = this.#options.runner.invoke(schedule.definition.target, event);
    this.#running.add(invocation);
    invocation.then(
      () => this.#running.delete(invocation),
      () => this.#running.delete(invocation),
    );
    return invocation;
  }

  #arm(schedule: ArmedSchedule): void {
    const { next } = schedule;
    if (!next || !this.#started) return;
    const wait = next.getTime() - Date.now();
    schedule.timer = setTimeout(
      () => {
        if (Date.now() < next.getTime()) {
          this.#arm(schedule);
          return;
        }
        this.#fireScheduled(schedule, next);
      },
      Math.min(Math.max(0, wait), MAX_TIMER_MS),
    );
    // the schedules alone do not keep the process alive (the HTTP server does)
    schedule.timer.unref();
  }

  #fireScheduled(schedule: ArmedSchedule, at: Date): void {
    const { logger } = this.#options;
    const name = schedule.definition.name;
    this.fire(name, at).then(
      () => logger.info('schedule fired', { schedule: name, scheduledTime: at.toISOString() }),
      (error: unknown) => logger.error('scheduled invocation failed', { schedule: name, error }),
    );
    schedule.next = nextFireTime(schedule.expression, at, this.#started);
    this.#arm(schedule);
  }
}
