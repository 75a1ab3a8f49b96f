/**
 * The SES side of the digests in a synthesized state stack: the secret of the unsubscribe tokens and who may read
 * it, and the path of bounces and complaints from the SES configuration set through the encrypted SNS topic to
 * the mail events queue and its function (infra/constructs/unsubscribe-secret.ts, mail-events.ts).
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTION_TAG } from '../../infra/constructs/app-function';
import { deployedFunctions, type FunctionName, topology } from '../../infra/topology';
import { operatorRoleId, referencedId, resourcesOf, synthState } from './synth';

describe.each([
  ['VisionProgress-OH', {}],
  ['VisionProgress-OH in GovCloud', { region: 'us-gov-west-1' }],
])('%s', (_, context) => {
  const template = synthState('OH', context);
  const region = (context as { region?: string }).region ?? 'us-east-2';
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const functionIdByName = (name: FunctionName) => {
    const entry = Object.entries(functions).find(([, fn]) =>
      fn.Properties.Tags?.some(
        (tag: { Key: string; Value: string }) => tag.Key === FUNCTION_TAG && tag.Value === name,
      ),
    );
    if (!entry) throw new Error(`no function tagged ${name}`);
    return entry[0];
  };
  const roleIdOf = (name: FunctionName) => referencedId(functions[functionIdByName(name)]!.Properties.Role);
  const onlyId = (type: string) => {
    const ids = Object.keys(resourcesOf(template, type));
    expect(ids).toHaveLength(1);
    return ids[0]!;
  };
  /**
   * Every statement of the identity policies, with the roles it is attached to; but the operator role's, which
   * test/infra/operator-role.test.ts holds to what the ops CLI calls.
   */
  const statements = () =>
    Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
      .map((policy) => ({ policy, roles: policy.Properties.Roles.map(referencedId) as string[] }))
      .filter(({ roles }) => !roles.includes(operatorRoleId(template)))
      .flatMap(({ policy, roles }) =>
        policy.Properties.PolicyDocument.Statement.map((statement: Record<string, unknown>) => ({
          ...statement,
          roles,
        })),
      );
  const withAction = (action: string) =>
    statements().filter((statement) => [statement.Action].flat().includes(action));
  const variablesOf = (name: FunctionName) =>
    functions[functionIdByName(name)]!.Properties.Environment.Variables as Record<string, unknown>;

  it('keeps a generated unsubscribe secret of 64 characters without punctuation, retained with the stack', () => {
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      }),
    });
  });

  it('lets only the api function and the digest sender read the secret, and tells them its ARN', () => {
    const secretId = onlyId('AWS::SecretsManager::Secret');
    const readers = withAction('secretsmanager:GetSecretValue');
    expect(readers.map((statement) => referencedId(statement.Resource))).toEqual(readers.map(() => secretId));
    // what grantRead gives: the value, and the secret's description (no write, no rotation)
    for (const statement of readers) {
      expect(statement.Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    }
    expect(
      statements().filter((statement) =>
        [statement.Action].flat().some((action) => String(action).startsWith('secretsmanager:')),
      ),
    ).toHaveLength(readers.length);
    expect(readers.flatMap((statement) => statement.roles).sort()).toEqual(
      [roleIdOf('api'), roleIdOf('digestSender')].sort(),
    );
    for (const name of deployedFunctions(region)) {
      const reads = topology.functions[name].unsubscribeSecret;
      expect(variablesOf(name).UNSUBSCRIBE_SECRET_ARN).toEqual(reads ? { Ref: secretId } : undefined);
      expect(variablesOf(name).UNSUBSCRIBE_SECRET_FILE).toBeUndefined();
    }
  });

  it('sends digests with a configuration set that publishes bounces and complaints to an encrypted topic', () => {
    const configurationSetId = onlyId('AWS::SES::ConfigurationSet');
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'VisionProgress-OH-digests',
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
    const [destination] = Object.values(resourcesOf(template, 'AWS::SES::ConfigurationSetEventDestination'));
    expect(destination?.Properties).toEqual({
      ConfigurationSetName: { Ref: configurationSetId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: { TopicARN: { Ref: expect.any(String) } },
      },
    });
    const topicId = referencedId(destination?.Properties.EventDestination.SnsDestination.TopicARN)!;
    const topic = resourcesOf(template, 'AWS::SNS::Topic')[topicId]!.Properties;
    const keyId = referencedId(topic.KmsMasterKeyId)!;
    // SES may use the key only for this configuration set of this account
    expect(resourcesOf(template, 'AWS::KMS::Key')[keyId]!.Properties.KeyPolicy.Statement).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'ses.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '123456789012',
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                `:ses:${region}:123456789012:configuration-set/VisionProgress-OH-digests`,
              ],
            ],
          },
        },
      },
    });
    const topicPolicy = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy')).find((policy) =>
      policy.Properties.Topics.some((topicRef: unknown) => referencedId(topicRef) === topicId),
    );
    expect(topicPolicy?.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'ses.amazonaws.com' },
          Condition: { StringEquals: expect.objectContaining({ 'AWS:SourceAccount': '123456789012' }) },
        }),
      ]),
    );
  });

  it('delivers each event raw to the mail events queue, which its function consumes reporting item failures', () => {
    const topicId = referencedId(
      Object.values(resourcesOf(template, 'AWS::SES::ConfigurationSetEventDestination'))[0]?.Properties
        .EventDestination.SnsDestination.TopicARN,
    );
    const subscriptions = Object.values(resourcesOf(template, 'AWS::SNS::Subscription')).filter(
      (subscription) => referencedId(subscription.Properties.TopicArn) === topicId,
    );
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.Properties).toMatchObject({ Protocol: 'sqs', RawMessageDelivery: true });
    const queueId = referencedId(subscriptions[0]!.Properties.Endpoint)!;

    const mapping = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).find(
      (candidate) => referencedId(candidate.Properties.EventSourceArn) === queueId,
    );
    expect(referencedId(mapping?.Properties.FunctionName)).toBe(functionIdByName('mailEvents'));
    expect(mapping?.Properties).toMatchObject({
      BatchSize: topology.queues.mailEvents.batchSize,
      MaximumBatchingWindowInSeconds: topology.queues.mailEvents.maxBatchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: topology.queues.mailEvents.maxConcurrency },
    });
    // the queue lets the topic, and nothing else, send to it
    const queuePolicy = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).find((policy) =>
      policy.Properties.Queues.some((queue: unknown) => referencedId(queue) === queueId),
    );
    expect(queuePolicy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'sns.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId } } },
      }),
    );
  });

  it('gives the sender the configuration set, the right to send with it and to read the send quota', () => {
    const variables = variablesOf('digestSender');
    expect(variables.SES_CONFIGURATION_SET).toEqual({ Ref: onlyId('AWS::SES::ConfigurationSet') });
    expect(variables.SES_SENDER).toBe('vision-progress@education.ohio.example');
    // in AWS the sender paces itself to the account's quota (GetAccount), not to a configured rate
    expect(variables.SES_SEND_RATE).toBeUndefined();

    const send = withAction('ses:SendEmail');
    expect(send.flatMap((statement) => statement.roles)).toEqual([roleIdOf('digestSender')]);
    expect(JSON.stringify(send[0]?.Resource)).toContain(
      `:ses:${region}:123456789012:configuration-set/VisionProgress-OH-digests`,
    );
    // the domain's identity is among the resources: only the state's sender may be the From address
    expect(JSON.stringify(send[0]?.Resource)).toContain(
      `:ses:${region}:123456789012:identity/education.ohio.example"`,
    );
    expect(send[0]?.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'vision-progress@education.ohio.example' },
    });
    expect(variables.DIGEST_SENDERS).toBe(String(topology.queues.digest.maxConcurrency));
    const quota = withAction('ses:GetAccount');
    expect(quota).toEqual([
      { Effect: 'Allow', Action: 'ses:GetAccount', Resource: '*', roles: [roleIdOf('digestSender')] },
    ]);
  });

  it('gives every function the state name, and the mail events function the table', () => {
    for (const name of deployedFunctions(region)) expect(variablesOf(name).STATE_NAME).toBe('Ohio');
    expect(variablesOf('mailEvents').TABLE_NAME).toEqual({ Ref: onlyId('AWS::DynamoDB::GlobalTable') });
  });

  it('lets the mail events function get and update items of the table, and do nothing else with it', () => {
    expect(topology.functions.mailEvents.table).toBe('subscriber-status');
    const tableStatements = statements().filter(
      (statement) =>
        statement.roles.includes(roleIdOf('mailEvents')) &&
        [statement.Action].flat().some((action) => String(action).startsWith('dynamodb:')),
    );
    expect(tableStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        // the table's ARN alone: no index, no condition
        Resource: { 'Fn::GetAtt': [onlyId('AWS::DynamoDB::GlobalTable'), 'Arn'] },
        roles: [roleIdOf('mailEvents')],
      },
    ]);
  });

  it('alarms on the bounce and complaint rates of the configuration set, to the alarm topic', () => {
    const configurationSetId = onlyId('AWS::SES::ConfigurationSet');
    const failureAlarm = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).find(
      (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    const alarmTopic = failureAlarm?.Properties.AlarmActions;
    expect(alarmTopic).toHaveLength(1);
    const reputation = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'))
      .map((alarm) => alarm.Properties)
      .filter((alarm) => alarm.Namespace === 'AWS/SES');
    expect(reputation.map((alarm) => alarm.MetricName).sort()).toEqual([
      'Reputation.BounceRate',
      'Reputation.ComplaintRate',
    ]);
    const thresholds = { 'Reputation.BounceRate': 0.05, 'Reputation.ComplaintRate': 0.001 };
    for (const alarm of reputation) {
      expect(alarm).toMatchObject({
        Dimensions: [{ Name: 'ses:configuration-set', Value: { Ref: configurationSetId } }],
        Threshold: thresholds[alarm.MetricName as keyof typeof thresholds],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: alarmTopic,
      });
    }
  });

  it('alarms on a message in the dead-letter queue of the mail events queue', () => {
    const mapping = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).find(
      (candidate) => referencedId(candidate.Properties.FunctionName) === functionIdByName('mailEvents'),
    );
    const queue = resourcesOf(template, 'AWS::SQS::Queue')[referencedId(mapping?.Properties.EventSourceArn)!];
    const deadLetterId = referencedId(queue?.Properties.RedrivePolicy.deadLetterTargetArn);
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter(
      (alarm) =>
        alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        alarm.Properties.Dimensions.some((dimension: { Value: unknown }) =>
          JSON.stringify(dimension.Value).includes(`"${deadLetterId}"`),
        ),
    );
    expect(alarms).toHaveLength(1);
  });
});
