/**
 * The functions' custom metrics (shared/runtime/metrics.ts), as the local stack's handlers write them: embedded
 * metric format documents on stdout, which CloudWatch turns into metrics in AWS. Accepted events are counted by
 * the API once (a replay is not), applied events and their freshness lag by the metrics worker.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';

const local = testStack();
/**
 * shared/runtime/metrics.ts's namespace, not imported: the module reads the state's code from the environment when
 * it loads, which must be once the stack has set it, as in Lambda.
 */
const METRICS_NAMESPACE = 'VisionProgress';

/** Every embedded metric format document written to stdout while this file runs. */
const documents: Record<string, unknown>[] = [];
const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    try {
      documents.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // part of a line: the documents are written whole
    }
  }
  return write(chunk, ...rest);
}) as typeof process.stdout.write;

beforeAll(() => local.start(), 120_000);
afterAll(() => local.stop());

interface EmfDocument {
  readonly _aws: {
    readonly CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** The values of a metric over the documents written so far (a document may hold a list of values). */
function valuesOf(name: string): number[] {
  return (documents as unknown as EmfDocument[])
    .filter((document) =>
      document._aws.CloudWatchMetrics.some(
        (set) => set.Namespace === METRICS_NAMESPACE && set.Metrics.some((metric) => metric.Name === name),
      ),
    )
    .flatMap((document) => [document[name]].flat() as number[]);
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe('custom metrics', () => {
  it('counts accepted events once, and applied events with their freshness lag, by state', async () => {
    const districtId = `cm-${randomUUID().slice(0, 8)}`;
    const { data } = await apiClient(local.info.apiUrl, local.info.credentials.stateKey).POST(
      '/v1/districts',
      {
        body: { districtId, name: 'Metrics District' },
      },
    );
    if (!data) throw new Error('no district');
    const api = apiClient(local.info.apiUrl, data.apiKey);
    const params = { path: { districtId } };
    const items = Array.from({ length: 3 }, (_, i) => ({
      type: 'competency-evidence' as const,
      submissionId: `e-${i}`,
      learner: { id: `learner-${districtId}-${i}` },
      competencyId: 'critical-thinking',
      level: 3,
      assessedOn: new Date().toISOString().slice(0, 10),
    }));
    const acceptedBefore = sum(valuesOf('EventsAccepted'));
    const appliedBefore = sum(valuesOf('EventsApplied'));

    await api.POST('/v1/districts/{districtId}/assessments/batch', { params, body: { items } });
    // the same items again: replays, not accepted events
    await api.POST('/v1/districts/{districtId}/assessments/batch', { params, body: { items } });
    await eventually(async () => {
      const { data: progress } = await api.GET('/v1/districts/{districtId}/progress', { params });
      return progress?.eventsApplied === items.length ? progress : undefined;
    });

    expect(sum(valuesOf('EventsAccepted')) - acceptedBefore).toBe(3);
    await eventually(async () => (sum(valuesOf('EventsApplied')) - appliedBefore === 3 ? true : undefined));
    const lags = valuesOf('FreshnessLag');
    expect(lags.length).toBeGreaterThan(0);
    for (const lag of lags) expect(lag).toBeGreaterThanOrEqual(0);
    // every document carries the state's dimension, and only counts and durations
    const sets = (documents as unknown as EmfDocument[]).flatMap(
      (document) => document._aws.CloudWatchMetrics,
    );
    for (const set of sets) expect(set.Dimensions.flat()).toContain('state');
    expect(documents.every((document) => document.state === local.info.state.stateCode)).toBe(true);
  });
});
