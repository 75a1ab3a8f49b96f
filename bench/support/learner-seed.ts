/**
 * A district's metrics items as folding one piece of evidence per learner would have left them: each learner's
 * state and the competency's counter. Written in bulk, they stand for a large district without posting its
 * history (the scale benchmark and the cost-per-event test).
 */
import type { Framework } from '../../shared/contract/framework';
import { emptyState, fold, unitKey } from '../../shared/domain/aggregates';
import { counterSortKey, districtPartition, stateSortKey } from '../../shared/store/table';

/** Each learner's state after one piece of evidence, and the competency's counter of them all. */
export function learnerSeedItems(
  districtId: string,
  learners: number,
  framework: Framework,
  competencyId: string,
): Record<string, unknown>[] {
  const pk = districtPartition(districtId);
  const counters = new Map<string, number>();
  const items: Record<string, unknown>[] = [];
  for (let index = 0; index < learners; index += 1) {
    const unit = { kind: 'learner', competencyId, learnerId: `l-${index}` } as const;
    const folded = fold(
      emptyState(unit),
      [
        {
          kind: 'evidence',
          unit,
          submissionId: `seed-${index}`,
          entry: { d: '2026-09-01', l: 1 + (index % 4), g: ['ell'], a: 1 },
        },
      ],
      framework,
    );
    items.push({ pk, sk: stateSortKey(unitKey(unit)), type: 'metrics-state', ...folded.state, ver: 1 });
    for (const delta of folded.deltas.values()) {
      for (const [name, amount] of delta.add) counters.set(name, (counters.get(name) ?? 0) + amount);
    }
  }
  items.push({
    pk,
    sk: counterSortKey(`C#${competencyId}`),
    type: 'metrics-counter',
    ...Object.fromEntries(counters),
    events: learners,
    asOf: 1,
    ver: 1,
  });
  return items;
}
