/**
 * The local FunctionRunner's invocation observer (LocalStackObserver.onInvoked), which the benchmarks' cost model
 * counts Lambda invocations and GB-s with: one record per settled invocation, failed ones included. Pure: the
 * handlers are given, no file is imported.
 */
import { describe, expect, it } from 'vitest';
import { FunctionRunner, type InvocationRecord } from '../../infra/local/function-runner';
import { topology } from '../../infra/topology';

function runner(records: InvocationRecord[]) {
  return new FunctionRunner({
    root: '/nowhere',
    region: 'us-east-1',
    namePrefix: 'vision-progress-xx',
    handlers: {
      api: async () => ({ statusCode: 200, body: '' }),
      authorizer: async () => {
        throw new Error('refused');
      },
    },
    onInvoked: (record) => records.push(record),
  });
}

describe('the invocation observer', () => {
  it('is told of each invocation with its function, memory and duration', async () => {
    const records: InvocationRecord[] = [];

    await runner(records).invoke('api', {});

    expect(records).toEqual([
      {
        name: 'api',
        memoryMb: topology.functions.api.memoryMb,
        failed: false,
        durationMs: expect.any(Number),
      },
    ]);
    expect(records[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('is told of a failed invocation too', async () => {
    const records: InvocationRecord[] = [];

    await expect(runner(records).invoke('authorizer', {})).rejects.toThrow('refused');

    expect(records).toMatchObject([{ name: 'authorizer', failed: true }]);
  });
});
