/**
 * How the ops CLI reads a deployed stack's outputs (infra/ops/stack-outputs.ts), against a mocked CloudFormation
 * client: CloudFormation has no emulator.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readStackOutputs } from '../../infra/ops/stack-outputs';

const client = new CloudFormationClient({ region: 'us-east-2' });
const cloudFormation = mockClient(client);

const describing = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'VisionProgress-OH',
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

const everyOutput = {
  ApiUrl: 'https://abc123.execute-api.us-east-2.amazonaws.com/v1/',
  TableName: 'vp-table',
  UsagePlanId: 'plan-oh',
  MetricsQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/metrics',
  MetricsDeadLetterQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/metrics-dlq',
  DigestQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/digest',
  DigestDeadLetterQueueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/digest-dlq',
};

beforeEach(() => cloudFormation.reset());

describe('readStackOutputs', () => {
  it("reads the API URL, the table and the usage plan of the state's stack by default", async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'VisionProgress-OH' })
      .resolves(describing(everyOutput));

    const outputs = await readStackOutputs(client, 'OH', 'us-east-2');

    expect(outputs).toEqual({ apiUrl: everyOutput.ApiUrl, tableName: 'vp-table', usagePlanId: 'plan-oh' });
  });

  it('reads the queue URLs when asked for them', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(describing(everyOutput));

    const outputs = await readStackOutputs(client, 'OH', 'us-east-2', [
      'metricsQueueUrl',
      'metricsDeadLetterQueueUrl',
    ]);

    expect(outputs).toEqual({
      metricsQueueUrl: everyOutput.MetricsQueueUrl,
      metricsDeadLetterQueueUrl: everyOutput.MetricsDeadLetterQueueUrl,
    });
  });

  it('serves a stack deployed before the queue outputs, except for the queues, whose missing outputs it names', async () => {
    const { ApiUrl, TableName, UsagePlanId } = everyOutput;
    cloudFormation.on(DescribeStacksCommand).resolves(describing({ ApiUrl, TableName, UsagePlanId }));

    const access = await readStackOutputs(client, 'OH', 'us-east-2');
    const queues = readStackOutputs(client, 'OH', 'us-east-2', [
      'digestQueueUrl',
      'digestDeadLetterQueueUrl',
    ]);

    expect(access.apiUrl).toBe(ApiUrl);
    await expect(queues).rejects.toThrow(
      'stack VisionProgress-OH in us-east-2 has no output DigestQueueUrl, DigestDeadLetterQueueUrl: deploy the ' +
        'current version (npm run cdk -- deploy VisionProgress-OH -c state=OH)',
    );
  });

  it('names the stack and the region when the stack does not exist there', async () => {
    const missing = new Error('Stack with id VisionProgress-OH does not exist');
    missing.name = 'ValidationError';
    cloudFormation.on(DescribeStacksCommand).rejects(missing);

    await expect(readStackOutputs(client, 'OH', 'eu-west-1', ['metricsQueueUrl'])).rejects.toMatchObject({
      name: 'OpsError',
      message: expect.stringMatching(/^stack VisionProgress-OH does not exist in eu-west-1: pass --region/),
    });
  });
});
