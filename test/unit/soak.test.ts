/**
 * The soak's bookkeeping, without a stack: the ledger counts events the way the contract does, the comparison
 * names what differs, and the memory verdict tells a leak from noise. Each of them is what makes a soak fail, so
 * each must be able to.
 */
import { describe, expect, it } from 'vitest';
import { DistrictLedger } from '../../bench/soak/ledger';
import { memoryTrends } from '../../bench/soak/memory';
import type { MemorySample } from '../../bench/soak/protocol';
import { differences } from '../../bench/soak/reconcile';
import { seedFramework } from '../../infra/config/default-framework';
import type { CompetencyEvidence, Framework } from '../support/reference-progress';
import { referenceProgress } from '../support/reference-progress';

const framework = seedFramework as unknown as Framework;

const evidence = (submissionId: string, learnerId: string): CompetencyEvidence => ({
  type: 'competency-evidence',
  submissionId,
  learner: { id: learnerId, schoolId: 'north-hs', gradeLevel: '9', groups: [] },
  competencyId: 'communication',
  level: 3,
  assessedOn: '2026-10-01',
});

describe('the district ledger', () => {
  it('counts distinct submissions, voids of accepted ones, applied milestone writes and real removals', () => {
    const ledger = new DistrictLedger('d-1', framework, 'America/New_York');
    ledger.accept(evidence('e-1', 'l-1'));
    ledger.accept(evidence('e-1', 'l-1'));
    ledger.accept(evidence('e-2', 'l-2'));
    ledger.void('e-2');
    ledger.void('e-9');
    const milestone = {
      milestoneId: 'm-01',
      conditionId: 'culture',
      status: 'on_track' as const,
      dueDate: '2027-01-15',
      updatedAt: '2026-11-26T10:00:00.000Z',
    };
    ledger.applyMilestone(milestone);
    ledger.applyMilestone({ ...milestone, status: 'at_risk', updatedAt: '2026-11-26T10:01:00.000Z' });
    ledger.removeMilestone('m-01');
    ledger.removeMilestone('m-01');
    expect(ledger.acceptedIds).toEqual(['e-1', 'e-2']);
    // 2 submissions + 1 void + 2 milestone writes + 1 removal
    expect(ledger.eventsApplied).toBe(6);
    expect(ledger.latestUpdate.get('m-01')).toBe(Date.parse('2026-11-26T10:01:00.000Z'));
  });

  it('lets one request at a time hold an id', () => {
    const ledger = new DistrictLedger('d-1', framework, 'America/New_York');
    expect(ledger.claim('m-01')).toBe(true);
    expect(ledger.claim('m-01')).toBe(false);
    ledger.release('m-01');
    expect(ledger.claim('m-01')).toBe(true);
  });
});

describe('the reconciliation', () => {
  it('names a lost event and the figures it moves', () => {
    const acknowledged = new DistrictLedger('d-1', framework, 'America/New_York');
    const applied = new DistrictLedger('d-1', framework, 'America/New_York');
    for (const [id, learner] of [
      ['e-1', 'l-1'],
      ['e-2', 'l-2'],
    ] as const) {
      acknowledged.accept(evidence(id, learner));
    }
    applied.accept(evidence('e-1', 'l-1'));
    const now = new Date('2026-11-26T12:00:00Z');
    const found = differences(
      referenceProgress(applied.referenceInput(1, now)),
      referenceProgress(acknowledged.referenceInput(1, now)),
    );
    expect(found).toContain('.eventsApplied: 1 instead of 2');
    expect(found.some((path) => path.startsWith('.competencies.'))).toBe(true);
  });

  it('finds nothing when the answer equals the reference', () => {
    const ledger = new DistrictLedger('d-1', framework, 'America/New_York');
    ledger.accept(evidence('e-1', 'l-1'));
    const now = new Date('2026-11-26T12:00:00Z');
    const progress = referenceProgress(ledger.referenceInput(10, now));
    expect(differences(structuredClone(progress), progress)).toEqual([]);
  });
});

describe('the memory verdict', () => {
  const samples = (heapAt: (minute: number) => number): MemorySample[] =>
    Array.from({ length: 60 }, (_, minute) => ({
      at: minute * 60_000,
      rss: 300 * 2 ** 20,
      heapUsed: heapAt(minute),
      heapTotal: 200 * 2 ** 20,
      external: 0,
      javaRss: undefined,
    }));

  it('calls a heap that swings around a level flat', () => {
    const trends = memoryTrends(
      samples((minute) => (100 + (minute % 3) * 15) * 2 ** 20),
      120_000,
    );
    expect(trends.map((trend) => [trend.metric, trend.flat])).toEqual([
      ['heapUsed', true],
      ['rss', true],
    ]);
  });

  it('calls a heap that keeps growing a leak', () => {
    const [heap] = memoryTrends(
      samples((minute) => (100 + minute * 2) * 2 ** 20),
      120_000,
    );
    expect(heap?.flat).toBe(false);
    expect(heap?.slopePerHour).toBeCloseTo(120 * 2 ** 20, -3);
  });
});
