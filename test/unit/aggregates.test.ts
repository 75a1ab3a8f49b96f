/**
 * The fold of observations into unit states (shared/domain/aggregates.ts): whatever the order, grouping and
 * repetition of the observations, the states and the counters they add up to are those of one orderly pass.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Framework } from '../../shared/contract/framework';
import {
  type CounterDeltas,
  emptyState,
  expectedCounters,
  fold,
  mergeDeltas,
  type Observation,
  type UnitState,
  unitKey,
} from '../../shared/domain/aggregates';
import { seeded } from '../support/seeded';

const scoring: Pick<Framework, 'masteryMethod' | 'proficiency'> = {
  masteryMethod: { method: 'decaying_average', weight: 65 },
  proficiency: { levels: 4, masteryThreshold: 3 },
};

/** A submission, and whether (and when) it is voided. */
const submissions = fc
  .array(
    fc.record({
      rating: fc.boolean(),
      person: fc.integer({ min: 1, max: 4 }),
      competency: fc.constantFrom('ct', 'co'),
      conditions: fc.subarray(['c1', 'c2', 'c3'], { minLength: 1 }),
      level: fc.integer({ min: 1, max: 4 }),
      role: fc.constantFrom('teacher', 'family'),
      day: fc.integer({ min: 1, max: 5 }),
      groups: fc.subarray(['ell', 'iep']),
      voided: fc.boolean(),
    }),
    { maxLength: 30 },
  )
  .map((items) =>
    items.map((item, index) => ({ ...item, submissionId: `s-${String(index).padStart(3, '0')}` })),
  );

type SubmissionItems = typeof submissions extends fc.Arbitrary<infer T> ? T : never;

/** The observations of each submission: its acceptance, and for a voided one a second version with the void. */
function observationsOf(items: SubmissionItems) {
  return items.flatMap((item): Observation[] => {
    const base = item.rating
      ? ({
          kind: 'rating',
          unit: { kind: 'respondent', respondentId: `r-${item.person}` },
          submissionId: item.submissionId,
          entry: {
            t: Date.UTC(2026, 10, item.day),
            role: item.role,
            r: Object.fromEntries(item.conditions.map((c, i) => [c, ((item.level + i) % 4) + 1])),
            a: 1_000 + item.day,
          },
        } as const)
      : ({
          kind: 'evidence',
          unit: { kind: 'learner', competencyId: item.competency, learnerId: `l-${item.person}` },
          submissionId: item.submissionId,
          entry: { d: `2026-11-0${item.day}`, l: item.level, g: item.groups, a: 1_000 + item.day },
        } as const);
    if (!item.voided) return [base];
    return [base, { ...base, entry: { ...base.entry, v: 2_000 + item.day } } as Observation];
  });
}

/** Folds batches in order, as a worker would; returns the states and the sum of the deltas written. */
function foldBatches(batches: readonly (readonly Observation[])[]) {
  const states = new Map<string, UnitState>();
  const counters: CounterDeltas = new Map();
  for (const batch of batches) {
    const byUnit = new Map<string, Observation[]>();
    for (const observation of batch) {
      const key = unitKey(observation.unit);
      byUnit.set(key, [...(byUnit.get(key) ?? []), observation]);
    }
    for (const [key, observations] of byUnit) {
      const first = observations[0];
      if (!first) continue;
      const folded = fold(states.get(key) ?? emptyState(first.unit), observations, scoring);
      states.set(key, folded.state);
      mergeDeltas(counters, folded.deltas);
    }
  }
  return { states, counters };
}

/** Counters as plain data, zeros left out, for comparison. */
function plain(counters: CounterDeltas) {
  return Object.fromEntries(
    [...counters]
      .map(
        ([key, delta]) =>
          [key, { add: Object.fromEntries(delta.add), events: delta.events, asOf: delta.asOf }] as const,
      )
      .filter(([, delta]) => Object.keys(delta.add).length > 0 || delta.events > 0),
  );
}

describe('fold', () => {
  it('gives the orderly result for any order, grouping and repetition', () => {
    fc.assert(
      fc.property(
        submissions,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (items, batchCount, seed) => {
          const observations = observationsOf(items);
          const orderly = foldBatches([observations]);
          // shuffled, some observations delivered twice, cut into batches
          const random = seeded(seed);
          const delivered = [...observations, ...observations.filter(() => random() < 0.3)];
          delivered.sort(() => random() - 0.5);
          const batches = Array.from({ length: batchCount }, (_, index) =>
            delivered.filter((_, position) => position % batchCount === index),
          );
          const messy = foldBatches(batches);
          expect(Object.fromEntries(messy.states)).toEqual(Object.fromEntries(orderly.states));
          expect(plain(messy.counters)).toEqual(plain(orderly.counters));
          expect(plain(messy.counters)).toEqual(plain(expectedCounters(messy.states.values())));
        },
      ),
      { seed: 20261125, numRuns: 300 },
    );
  });

  it('changes nothing when everything is applied again', () => {
    fc.assert(
      fc.property(submissions, (items) => {
        const observations = observationsOf(items);
        const { states } = foldBatches([observations]);
        for (const [key, state] of states) {
          const again = fold(
            state,
            observations.filter((observation) => unitKey(observation.unit) === key),
            scoring,
          );
          expect(again.changed).toBe(false);
          expect(again.deltas.size).toBe(0);
        }
      }),
      { seed: 20261125, numRuns: 200 },
    );
  });

  it('brings back the previous rating when the latest is voided', () => {
    const unit = { kind: 'respondent', respondentId: 'r-1' } as const;
    const older: Observation = {
      kind: 'rating',
      unit,
      submissionId: 's-1',
      entry: { t: 1, role: 'teacher', r: { c1: 2 }, a: 10 },
    };
    const newer: Observation = {
      kind: 'rating',
      unit,
      submissionId: 's-2',
      entry: { t: 2, role: 'family', r: { c1: 4 }, a: 11 },
    };
    const both = fold(emptyState(unit), [older, newer], scoring);
    expect(both.state).toMatchObject({ counted: { c1: { role: 'family', level: 4 } } });
    const voided = fold(both.state, [{ ...newer, entry: { ...newer.entry, v: 12 } } as Observation], scoring);
    expect(voided.state).toMatchObject({ counted: { c1: { role: 'teacher', level: 2 } } });
    expect(plain(voided.deltas)).toEqual({
      'R#c1': {
        add: { 'n:family': -1, 's:family': -4, 'n:teacher': 1, 's:teacher': 2 },
        events: 1,
        asOf: 12,
      },
    });
  });

  it('re-scores a learner when a piece of evidence is voided, and under another framework', () => {
    const unit = { kind: 'learner', competencyId: 'ct', learnerId: 'l-1' } as const;
    const evidence = (id: string, d: string, l: number, v?: number): Observation => ({
      kind: 'evidence',
      unit,
      submissionId: id,
      entry: { d, l, g: ['ell'], a: 10, ...(v === undefined ? {} : { v }) },
    });
    const folded = fold(
      emptyState(unit),
      [evidence('e-1', '2026-01-01', 4), evidence('e-2', '2026-02-01', 1)],
      scoring,
    );
    // decaying 65: 1 × 0.65 + 4 × 0.35 = 2.05, not at mastery
    expect(folded.state).toMatchObject({ counted: { m: 0, g: ['ell'] } });
    const voided = fold(folded.state, [evidence('e-2', '2026-02-01', 1, 20)], scoring);
    expect(voided.state).toMatchObject({ counted: { m: 1 } });
    const highest = fold(folded.state, [], { ...scoring, masteryMethod: { method: 'highest' } });
    expect(highest.changed).toBe(true);
    expect(plain(highest.deltas)).toEqual({ 'C#ct': { add: { m: 1, 'm:ell': 1 }, events: 0, asOf: 0 } });
  });

  it('counts every applied milestone write and removal once, in any order', () => {
    const unit = { kind: 'milestone', milestoneId: 'm-1' } as const;
    const version = (revision: number, removals: number, at: number): Observation => ({
      kind: 'milestone',
      unit,
      revision,
      removals,
      at,
    });
    const late = fold(emptyState(unit), [version(3, 1, 30)], scoring);
    const early = fold(late.state, [version(1, 0, 10), version(2, 1, 20)], scoring);
    expect(plain(late.deltas)).toEqual({ M: { add: {}, events: 4, asOf: 30 } });
    expect(early.changed).toBe(false);
  });
});
