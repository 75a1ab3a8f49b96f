/**
 * The outputs the ops CLI reads back from a deployed stack (infra/ops/stack-outputs.ts): present under the names
 * of infra/stack-contract.ts, and pointing at the resources they name.
 */
import { describe, expect, it } from 'vitest';
import { QUEUE_OUTPUTS, STACK_OUTPUTS } from '../../infra/stack-contract';
import { type QueueName, visibilityTimeoutSeconds } from '../../infra/topology';
import { referencedId, resourcesOf, synthState } from './synth';

describe('VisionProgress-OH outputs', () => {
  const template = synthState('OH');
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  const onlyId = (type: string) => {
    const ids = Object.keys(resourcesOf(template, type));
    expect(ids).toHaveLength(1);
    return ids[0];
  };

  it('names the table and the usage plan by reference', () => {
    expect(referencedId(outputs[STACK_OUTPUTS.tableName]?.Value)).toBe(onlyId('AWS::DynamoDB::GlobalTable'));
    expect(referencedId(outputs[STACK_OUTPUTS.usagePlanId]?.Value)).toBe(
      onlyId('AWS::ApiGateway::UsagePlan'),
    );
  });

  it("gives the invoke URL of the API's stage, to which the contract's paths are appended", () => {
    const url = outputs[STACK_OUTPUTS.apiUrl]!.Value as { 'Fn::Join': [string, unknown[]] };
    const [, parts] = url['Fn::Join'];

    expect(parts[0]).toBe('https://');
    expect(parts).toContainEqual({ Ref: onlyId('AWS::ApiGateway::RestApi') });
    expect(parts).toContainEqual({ Ref: onlyId('AWS::ApiGateway::Stage') });
  });

  it.each(Object.keys(QUEUE_OUTPUTS) as QueueName[])(
    'names the %s queue and its dead-letter queue by reference, for `dlq show` and `dlq redrive`',
    (name) => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      const { queueUrl, deadLetterQueueUrl } = QUEUE_OUTPUTS[name];
      const queue = queues[referencedId(outputs[STACK_OUTPUTS[queueUrl]]?.Value) ?? ''];
      const deadLetterId = referencedId(outputs[STACK_OUTPUTS[deadLetterQueueUrl]]?.Value);

      // the queues differ by their visibility timeout, which follows their consumer's timeout
      expect(queue?.Properties.VisibilityTimeout).toBe(visibilityTimeoutSeconds(name));
      expect(queue?.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({
        'Fn::GetAtt': [deadLetterId, 'Arn'],
      });
    },
  );
});
