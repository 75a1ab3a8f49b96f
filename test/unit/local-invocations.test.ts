/**
 * The local FunctionRunner runs invocations at once in one process, as Lambda Managed Instances do: each has its
 * own Powertools state (logger keys, Lambda context), so that a log line names its own invocation's correlation
 * id and function, never a concurrent one's. Pure: the handlers are given, no file is imported.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FunctionRunner } from '../../infra/local/function-runner';
import { logger } from '../../shared/runtime/logger';

/** A handler that takes its correlation id from the event, waits, logs, and waits again before it ends. */
const handler = middy<{ id: string; waitMs: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async ({ id, waitMs }) => {
    logger.setCorrelationId(id);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    logger.info('handled');
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  });

afterEach(() => vi.restoreAllMocks());

describe('concurrent local invocations', () => {
  it('log with their own correlation id and function, whichever ends first', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      written.push(String(chunk));
      return true;
    });
    const runner = new FunctionRunner({
      root: '/nowhere',
      region: 'us-east-1',
      namePrefix: 'vision-progress-xx',
      handlers: { api: handler, metricsWorker: handler },
    });

    await Promise.all([
      runner.invoke('api', { id: 'request-slow', waitMs: 60 }),
      runner.invoke('metricsWorker', { id: 'request-fast', waitMs: 10 }),
    ]);

    const lines = written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map(({ correlation_id, function_name }) => ({ correlation_id, function_name }))).toEqual([
      { correlation_id: 'request-fast', function_name: 'vision-progress-xx-metrics-worker' },
      { correlation_id: 'request-slow', function_name: 'vision-progress-xx-api' },
    ]);
  });
});
