import { describe, expect, it } from 'vitest';
import { latestRatings } from '../../shared/domain/aggregates';
import { observeItem, UnreadableItemError } from '../../shared/store/observations';

const submissionItem = {
  pk: 'DISTRICT#d-1',
  sk: 'SUBMISSION#e-1',
  type: 'submission',
  districtId: 'd-1',
  submission: {
    type: 'competency-evidence',
    submissionId: 'e-1',
    learner: { id: 'l-secret', groups: ['ell'] },
    competencyId: 'critical-thinking',
    level: 3,
    assessedOn: '2026-11-12',
  },
  receivedAt: '2026-11-20T10:00:00.000Z',
};

const milestoneItem = {
  pk: 'DISTRICT#d-1',
  sk: 'MILESTONE#m-1',
  type: 'milestone',
  districtId: 'd-1',
  milestoneId: 'm-1',
  updatedAt: '2026-11-01T00:00:00Z',
  writtenAt: '2026-11-20T10:00:00.000Z',
  revision: 3,
  removals: 1,
};

describe('observeItem', () => {
  it('reads a submission, and a void with it', () => {
    expect(observeItem({ ...submissionItem, voidedAt: '2026-11-21T10:00:00.000Z' })).toEqual({
      districtId: 'd-1',
      observation: {
        kind: 'evidence',
        unit: { kind: 'learner', competencyId: 'critical-thinking', learnerId: 'l-secret' },
        submissionId: 'e-1',
        entry: {
          d: '2026-11-12',
          l: 3,
          g: ['ell'],
          a: Date.parse('2026-11-20T10:00:00.000Z'),
          v: Date.parse('2026-11-21T10:00:00.000Z'),
        },
      },
    });
  });

  it('reads a milestone as the writes and removals it has seen', () => {
    expect(observeItem(milestoneItem)?.observation).toEqual({
      kind: 'milestone',
      unit: { kind: 'milestone', milestoneId: 'm-1' },
      revision: 3,
      removals: 1,
      at: Date.parse('2026-11-20T10:00:00.000Z'),
    });
    // an item from before milestones counted their writes stands for the one write (and removal) it shows
    const { revision, removals, writtenAt, ...legacy } = milestoneItem;
    expect(observeItem({ ...legacy, removedAt: '2026-11-02T00:00:00.000Z' })?.observation).toMatchObject({
      revision: 1,
      removals: 1,
      at: Date.parse('2026-11-02T00:00:00.000Z'),
    });
  });

  it('ignores items the metrics do not read', () => {
    expect(observeItem({ type: 'district', districtId: 'd-1' })).toBeUndefined();
    expect(observeItem({ type: 'framework', districtId: 'd-1' })).toBeUndefined();
  });

  it('refuses an item it cannot read, without naming its ids', () => {
    const broken = { ...submissionItem, submission: { ...submissionItem.submission, level: 'high' } };
    expect(() => observeItem(broken)).toThrow(UnreadableItemError);
    try {
      observeItem(broken);
    } catch (error) {
      expect(String(error)).not.toMatch(/l-secret|e-1/);
    }
  });
});

describe('rating order below the millisecond', () => {
  it('keeps the digits Date.parse drops, so the later rating wins, not the higher id', () => {
    const rating = (submissionId: string, submittedAt: string, level: number) =>
      observeItem({
        type: 'submission',
        districtId: 'd-1',
        receivedAt: '2026-11-20T10:00:00.000Z',
        submission: {
          type: 'condition-rating',
          submissionId,
          respondent: { id: 'r-1', role: 'teacher' },
          submittedAt,
          ratings: [{ conditionId: 'culture', level }],
        },
      })?.observation;
    const later = rating('s-1', '2026-11-18T19:00:00.0002Z', 4);
    const earlier = rating('s-2', '2026-11-18T19:00:00.0001Z', 1);
    if (later?.kind !== 'rating' || earlier?.kind !== 'rating') throw new Error('not ratings');
    expect(later.entry).toMatchObject({ tf: 200_000 });
    expect(latestRatings({ 's-1': later.entry, 's-2': earlier.entry })).toEqual({
      culture: { role: 'teacher', level: 4 },
    });
  });
});
