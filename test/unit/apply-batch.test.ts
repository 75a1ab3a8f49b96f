/**
 * How the metrics worker reads a batch (functions/metrics-worker/apply-batch.ts): what each change asks of the
 * store, grouping by district, and which messages it fails. The store here records calls; its own behaviour is
 * tested against DynamoDB Local in test/integration/metrics-store.test.ts.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { applyBatch } from '../../functions/metrics-worker/apply-batch';
import type { Observation } from '../../shared/domain/aggregates';
import type { MetricsStore } from '../../shared/store/aggregates';

const framework = { visionStatement: 'v', masteryMethod: { method: 'latest' } };

function record(
  messageId: string,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  newImage?: Record<string, unknown>,
  oldImage?: Record<string, unknown>,
): SQSRecord {
  const body = JSON.stringify({
    eventID: `evt-${messageId}`,
    eventName,
    dynamodb: {
      Keys: marshall({ pk: 'p', sk: 's' }),
      ...(newImage ? { NewImage: marshall(newImage) } : {}),
      ...(oldImage ? { OldImage: marshall(oldImage) } : {}),
      SequenceNumber: '1',
    },
  });
  return { messageId, body } as SQSRecord;
}

const evidence = (districtId: string, submissionId: string) => ({
  type: 'submission',
  districtId,
  receivedAt: '2026-11-20T10:00:00.000Z',
  submission: {
    type: 'competency-evidence',
    submissionId,
    learner: { id: 'l-1' },
    competencyId: 'critical-thinking',
    level: 3,
    assessedOn: '2026-11-12',
  },
});

/** A store that records what it was asked, and fails the districts named. */
function recordingStore(failing: readonly string[] = []) {
  const applied = new Map<string, Observation[]>();
  const rebuilt: string[] = [];
  const store = {
    async apply(districtId: string, observations: readonly Observation[]) {
      if (failing.includes(districtId)) throw new Error('refused');
      applied.set(districtId, [...(applied.get(districtId) ?? []), ...observations]);
      return { unitsChanged: 0, events: 0, transactions: 0, retries: 0 };
    },
    async rebuild(districtId: string) {
      rebuilt.push(districtId);
      return { unitsChanged: 0, events: 0, transactions: 0, retries: 0, rawItems: 0, countersCorrected: 0 };
    },
  };
  return { store: store as unknown as MetricsStore, applied, rebuilt };
}

describe('applyBatch', () => {
  it('groups observations by district, one call each', async () => {
    const { store, applied } = recordingStore();
    const response = await applyBatch(
      [
        record('1', 'INSERT', evidence('d-1', 'e-1')),
        record('2', 'INSERT', evidence('d-2', 'e-2')),
        record('3', 'MODIFY', { ...evidence('d-1', 'e-3'), voidedAt: '2026-11-21T00:00:00.000Z' }),
      ],
      store,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(applied.get('d-1')?.map((o) => (o.kind === 'evidence' ? o.submissionId : ''))).toEqual([
      'e-1',
      'e-3',
    ]);
    expect(applied.get('d-2')).toHaveLength(1);
  });

  it('rebuilds a district only when its framework was replaced by another', async () => {
    const { store, rebuilt, applied } = recordingStore();
    const item = (districtId: string, method: string) => ({
      type: 'framework',
      districtId,
      framework: { ...framework, masteryMethod: { method } },
    });
    await applyBatch(
      [
        record('1', 'INSERT', item('d-new', 'latest')),
        record('2', 'MODIFY', item('d-same', 'latest'), item('d-same', 'latest')),
        record('3', 'MODIFY', item('d-changed', 'highest'), item('d-changed', 'latest')),
      ],
      store,
    );
    expect(rebuilt).toEqual(['d-changed']);
    // the rebuild reads the district's stored changes, this batch's among them: nothing is applied twice
    expect(applied.has('d-changed')).toBe(false);
  });

  it("fails only the failing district's messages and what cannot be read; acknowledges deletions", async () => {
    const { store, applied } = recordingStore(['d-bad']);
    const response = await applyBatch(
      [
        record('1', 'INSERT', evidence('d-bad', 'e-1')),
        record('2', 'INSERT', evidence('d-good', 'e-2')),
        record('3', 'INSERT', evidence('d-bad', 'e-3')),
        { messageId: '4', body: 'not a change' } as SQSRecord,
        record('5', 'REMOVE', undefined, evidence('d-good', 'e-4')),
      ],
      store,
    );
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      '1',
      '3',
      '4',
    ]);
    expect(applied.get('d-good')).toHaveLength(1);
  });
});
