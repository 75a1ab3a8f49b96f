import { App, type Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app';
import { loadStateConfigs } from '../../infra/config/index';
import { FUNCTION_TAG } from '../../infra/constructs/app-function';
import { deployedFunctions, type FunctionName, type RouteSpec, topology } from '../../infra/topology';
import { operatorRoleId, referencedId, resourcesOf, synthState } from './synth';

const states = loadStateConfigs();

describe.each(states.map((config) => [config.stateCode, config] as const))(
  'VisionProgress-%s',
  (code, config) => {
    const template = synthState(code);
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

    it('runs every function on nodejs24.x, arm64, with the timeout and memory of the topology', () => {
      const deployed = deployedFunctions(config.aws.region);
      expect(deployed).not.toContain('streamRelay'); // the Pipe relays in every commercial region
      expect(Object.keys(functions)).toHaveLength(deployed.length);
      for (const name of deployed) {
        const spec = topology.functions[name];
        const fn = functions[functionIdByName(name)]!.Properties;
        expect(fn).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Timeout: spec.timeoutSeconds,
          MemorySize: spec.memoryMb,
          TracingConfig: { Mode: 'Active' },
        });
      }
    });

    it('keeps one table: on demand, PITR, deletion protection, encrypted, retained, with a stream', () => {
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          SSESpecification: { SSEEnabled: true },
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          Replicas: [
            Match.objectLike({
              DeletionProtectionEnabled: true,
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            }),
          ],
        }),
      });
    });

    it('gives every consumed queue a dead-letter queue and a visibility of at least 6x its consumer timeout', () => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      const mappings = resourcesOf(template, 'AWS::Lambda::EventSourceMapping');
      expect(Object.keys(mappings)).toHaveLength(Object.keys(topology.queues).length);
      for (const spec of Object.values(topology.queues)) {
        const consumerId = functionIdByName(spec.consumer);
        const mapping = Object.values(mappings).find(
          (m) => referencedId(m.Properties.FunctionName) === consumerId,
        );
        expect(mapping?.Properties).toMatchObject({
          BatchSize: spec.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: spec.maxConcurrency },
        });
        const queue = queues[referencedId(mapping?.Properties.EventSourceArn)!]!.Properties;
        const timeout = functions[consumerId]!.Properties.Timeout as number;
        expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
        expect(queue.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
        expect(queues[referencedId(queue.RedrivePolicy.deadLetterTargetArn)!]).toBeDefined();
      }
    });

    it('encrypts every queue and refuses plain HTTP on each', () => {
      const queues = resourcesOf(template, 'AWS::SQS::Queue');
      const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
      for (const [id, queue] of Object.entries(queues)) {
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
        const policy = policies.find((p) => p.Properties.Queues.some((q: unknown) => referencedId(q) === id));
        expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it('relays the table stream to the metrics queue with bounded retries and a failure destination', () => {
      const pipes = Object.values(resourcesOf(template, 'AWS::Pipes::Pipe'));
      expect(pipes).toHaveLength(1);
      const stream = pipes[0]!.Properties.SourceParameters.DynamoDBStreamParameters;
      expect(stream).toMatchObject({
        MaximumRetryAttempts: topology.streamRelay.maximumRetryAttempts,
        DeadLetterConfig: { Arn: expect.anything() },
      });
      const filters = pipes[0]!.Properties.SourceParameters.FilterCriteria.Filters.map(
        (f: { Pattern: string }) => JSON.parse(f.Pattern),
      );
      expect(filters).toContainEqual({
        dynamodb: { NewImage: { type: { S: topology.streamRelay.itemTypes } } },
      });
    });

    it('runs the digest planner on the state schedule, in the state timezone', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: config.digestSchedule,
        ScheduleExpressionTimezone: config.timezone,
        Target: Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 3 } }),
      });
    });

    it('keeps logs for the configured days', () => {
      const groups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));
      expect(groups.length).toBeGreaterThan(deployedFunctions(config.aws.region).length);
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(config.logRetentionDays);
    });

    it('alarms on every failure queue, and on errors and throttles of every function', () => {
      const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
      const metricNames = alarms.map((a) => a.MetricName);
      // the dead-letter queue of each work queue, the relay's failure queue and the schedule's
      expect(metricNames.filter((n) => n === 'ApproximateNumberOfMessagesVisible')).toHaveLength(
        Object.keys(topology.queues).length + 2,
      );
      for (const name of deployedFunctions(config.aws.region)) {
        const id = functionIdByName(name);
        for (const metric of ['Errors', 'Throttles']) {
          expect(
            alarms.some(
              (a) =>
                a.MetricName === metric &&
                a.Dimensions.some((d: { Value: unknown }) => referencedId(d.Value) === id),
            ),
          ).toBe(true);
        }
      }
      // the stack's alarm topic, and the state's on-call topic where it names one (test/infra/alarms.test.ts)
      for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(config.alarmTopicArn ? 2 : 1);
    });

    it("has one dashboard, with every alarm's state and every function, queue and the table on it", () => {
      const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
      expect(dashboards).toHaveLength(1);
      const dashboard = dashboards[0]!.Properties;
      expect(dashboard.DashboardName).toBe(`VisionProgress-${config.stateCode}`);
      // the body is a Fn::Join of text and references: what it refers to, by logical id
      const parts = (dashboard.DashboardBody['Fn::Join'] as [string, unknown[]])[1];
      const referenced = new Set(parts.map(referencedId).filter((id) => id !== undefined));
      const text = parts.filter((part) => typeof part === 'string').join('');
      for (const alarmId of Object.keys(resourcesOf(template, 'AWS::CloudWatch::Alarm'))) {
        expect(referenced).toContain(alarmId);
      }
      for (const name of deployedFunctions(config.aws.region))
        expect(referenced).toContain(functionIdByName(name));
      for (const queueId of Object.keys(resourcesOf(template, 'AWS::SQS::Queue')).filter((id) =>
        /^(Metrics|Digest|MailEvents)/.test(id),
      )) {
        expect(referenced).toContain(queueId);
      }
      for (const metric of [
        'Count',
        '5XXError',
        'Latency',
        'ApproximateAgeOfOldestMessage',
        'ConsumedWriteCapacityUnits',
        // the functions' own, by state
        'EventsAccepted',
        'EventsApplied',
        'FreshnessLag',
        'DigestsSent',
        'Bounces',
        'Complaints',
      ]) {
        expect(text).toContain(`"${metric}"`);
      }
      expect(text).toContain(
        `"VisionProgress","EventsAccepted","service","vision-progress","state","${config.stateCode}"`,
      );
    });

    it('lets the authorizer read key records and nothing else of the table', () => {
      const roleId = referencedId(functions[functionIdByName('authorizer')]!.Properties.Role);
      const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
        policy.Properties.Roles.some((role: unknown) => referencedId(role) === roleId),
      );
      const tableStatements = policies
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
        .filter((statement: { Action: string | string[] }) =>
          [statement.Action].flat().some((a) => a.startsWith('dynamodb:')),
        );
      expect(tableStatements).toEqual([
        expect.objectContaining({
          Action: 'dynamodb:GetItem',
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['KEY#*'] } },
        }),
      ]);
    });

    it('answers floods and bodies Lambda could not take in the contract terms: 429 with Retry-After, 413', () => {
      const [acl] = Object.values(resourcesOf(template, 'AWS::WAFv2::WebACL'));
      const rules = Object.fromEntries(
        acl!.Properties.Rules.map((rule: { Name: string }) => [rule.Name, rule]),
      );
      expect(rules.PerAddressRate.Action.Block.CustomResponse).toMatchObject({
        ResponseCode: 429,
        ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }],
      });
      expect(rules.BodyOverOneMegabyte.Action.Block.CustomResponse.ResponseCode).toBe(413);
      expect(rules.BodyOverOneMegabyte.Statement.SizeConstraintStatement).toMatchObject({
        FieldToMatch: { SingleHeader: { Name: 'content-length' } },
        ComparisonOperator: 'GT',
        Size: 6,
      });
    });

    it('compresses responses of 1 KiB and more for clients that accept gzip', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { MinimumCompressionSize: 1024 });
    });

    it('answers every topology route through the api function', () => {
      const methods = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).filter(
        (m) => m.Properties.HttpMethod !== 'OPTIONS',
      );
      expect(methods).toHaveLength(topology.routes.length);
    });

    const methodOf = (route: RouteSpec) => {
      const found = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).filter(
        (m) => m.Properties.OperationName === `${route.method} ${route.path}`,
      );
      expect(found).toHaveLength(1);
      return found[0]!.Properties;
    };
    const onlyId = (type: string) => {
      const ids = Object.keys(resourcesOf(template, type));
      expect(ids).toHaveLength(1);
      return ids[0]!;
    };

    it('puts every keyed route behind the key authorizer and a usage key, and no public one', () => {
      const authorizerId = onlyId('AWS::ApiGateway::Authorizer');
      for (const route of topology.routes) {
        const method = methodOf(route);
        if (route.auth === 'none') {
          expect(method.AuthorizationType).toBe('NONE');
          expect(method.AuthorizerId).toBeUndefined();
          expect(method.ApiKeyRequired ?? false).toBe(false);
        } else {
          expect(method).toMatchObject({
            AuthorizationType: 'CUSTOM',
            AuthorizerId: { Ref: authorizerId },
            ApiKeyRequired: true,
          });
        }
      }
    });

    it('runs the authorizer function on the Authorization header, refusing non-keys and caching per key', () => {
      const authorizer = resourcesOf(template, 'AWS::ApiGateway::Authorizer')[
        onlyId('AWS::ApiGateway::Authorizer')
      ]!.Properties;
      expect(authorizer).toMatchObject({
        Type: 'TOKEN',
        IdentitySource: 'method.request.header.Authorization',
        IdentityValidationExpression: topology.authorizer.identityValidationExpression,
        AuthorizerResultTtlInSeconds: topology.authorizer.resultsCacheTtlSeconds,
      });
      expect(JSON.stringify(authorizer.AuthorizerUri)).toContain(
        `"${functionIdByName(topology.authorizer.function)}"`,
      );
    });

    it('takes the usage key from the authorizer and throttles each key with the usage plan of the stage', () => {
      const restApiId = onlyId('AWS::ApiGateway::RestApi');
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
      const plan = resourcesOf(template, 'AWS::ApiGateway::UsagePlan')[onlyId('AWS::ApiGateway::UsagePlan')]!;
      expect(plan.Properties.Throttle).toEqual({
        RateLimit: topology.rateLimit.ratePerSecond,
        BurstLimit: topology.rateLimit.burst,
      });
      expect(plan.Properties.ApiStages).toEqual([
        expect.objectContaining({
          ApiId: { Ref: restApiId },
          Stage: { Ref: onlyId('AWS::ApiGateway::Stage') },
        }),
      ]);
    });

    it("answers API Gateway's own refusals with problem+json: 401, 403, and 429 with Retry-After", () => {
      const responses = Object.fromEntries(
        Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse')).map((r) => [
          r.Properties.ResponseType,
          r.Properties,
        ]),
      );
      for (const [type, status] of [
        ['UNAUTHORIZED', 401],
        ['INVALID_API_KEY', 401],
        ['ACCESS_DENIED', 403],
        ['THROTTLED', 429],
        ['QUOTA_EXCEEDED', 429],
      ] as const) {
        const response = responses[type];
        expect(response?.StatusCode).toBe(String(status));
        expect(response?.ResponseParameters['gatewayresponse.header.content-type']).toBe(
          "'application/problem+json'",
        );
        expect(JSON.parse(response?.ResponseTemplates['application/json'])).toEqual({
          type: `https://vision-progress.dev/problems/${status}`,
          title: expect.any(String),
          status,
          detail: expect.any(String),
          correlationId: '$context.requestId',
        });
        expect(response?.ResponseParameters['gatewayresponse.header.retry-after']).toBe(
          status === 429 ? "'1'" : undefined,
        );
      }
      // every answer of API Gateway's own names its correlation id in the header too, as the function's do
      for (const response of Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse'))) {
        expect(response.Properties.ResponseParameters['gatewayresponse.header.x-correlation-id']).toBe(
          'context.requestId',
        );
      }
      expect(Object.keys(responses)).toEqual(
        expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX', 'MISSING_AUTHENTICATION_TOKEN']),
      );
    });

    it('gives the api function alone the usage plan id, and it and the operator role the API Gateway calls that register keys, no more', () => {
      const planId = onlyId('AWS::ApiGateway::UsagePlan');
      for (const name of deployedFunctions(config.aws.region)) {
        const variables = functions[functionIdByName(name)]!.Properties.Environment?.Variables ?? {};
        expect(variables.USAGE_PLAN_ID).toEqual(name === 'api' ? { Ref: planId } : undefined);
      }
      const apiRoleId = referencedId(functions[functionIdByName('api')]!.Properties.Role);
      const gatewayStatements = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap((policy) =>
        policy.Properties.PolicyDocument.Statement.filter((statement: { Action: string | string[] }) =>
          [statement.Action].flat().some((action) => action.startsWith('apigateway:')),
        ).map((statement: object) => ({ roles: policy.Properties.Roles, ...statement })),
      );
      const arn = (path: string, ...rest: unknown[]) => ({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, `:apigateway:${config.aws.region}::${path}`, ...rest],
        ],
      });
      // the same three for the api function's role and the operator role (state-key create and revoke), no other
      const registration = (roleId: string | undefined) => {
        const roles = [{ Ref: roleId }];
        return [
          {
            roles,
            Effect: 'Allow',
            Action: 'apigateway:POST',
            Resource: [arn('/apikeys'), arn('/usageplans/', { Ref: planId }, '/keys')],
          },
          { roles, Effect: 'Allow', Action: 'apigateway:GET', Resource: arn('/apikeys') },
          { roles, Effect: 'Allow', Action: 'apigateway:DELETE', Resource: arn('/apikeys/*') },
        ];
      };
      expect(gatewayStatements).toHaveLength(6);
      expect(gatewayStatements).toEqual(
        expect.arrayContaining([...registration(apiRoleId), ...registration(operatorRoleId(template))]),
      );
    });

    // the api function references the usage plan, whose stage deploys the methods: were the methods to reference
    // the function, the template would have a cycle (Template.fromStack refuses one, failing every test here)
    it('reaches the api function by name, with one invoke permission for the stage', () => {
      const apiId = functionIdByName('api');
      const name = functions[apiId]!.Properties.FunctionName;
      expect(name).toBe(`VisionProgress-${code}-api`);
      for (const route of topology.routes) {
        const uri = JSON.stringify(methodOf(route).Integration.Uri);
        expect(uri).toContain(`:function:${name}/invocations`);
        expect(uri).not.toContain(`"${apiId}"`);
      }
      const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter(
        (p) => referencedId(p.Properties.FunctionName) === apiId,
      );
      expect(permissions).toHaveLength(1);
      const sourceArn = JSON.stringify(permissions[0]!.Properties.SourceArn);
      expect(permissions[0]!.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(sourceArn).toContain(`"${onlyId('AWS::ApiGateway::RestApi')}"`);
      expect(sourceArn).toContain(`"${onlyId('AWS::ApiGateway::Stage')}"`);
    });
  },
);

describe('GovCloud', () => {
  const template = synthState('OH', { region: 'us-gov-west-1' });

  it('synthesizes without an ARN that names the aws partition', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).not.toMatch(/arn:aws:/);
    expect(json).toContain('AWS::Partition');
  });

  it('relays the stream with the relay function where Pipes are not offered, with the same settings', () => {
    template.resourceCountIs('AWS::Pipes::Pipe', 0);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: topology.streamRelay.batchSize,
      MaximumRetryAttempts: topology.streamRelay.maximumRetryAttempts,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: Match.arrayWith([
          {
            Pattern: JSON.stringify({
              dynamodb: { NewImage: { type: { S: topology.streamRelay.itemTypes } } },
            }),
          },
        ]),
      },
    });
  });
});

describe('cdk-nag', () => {
  it.each([
    ['commercial regions', {}],
    ['GovCloud', { region: 'us-gov-west-1' }],
  ])('finds nothing unacknowledged in any state stack (%s)', (_, context) => {
    const app = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }));
    expect(() => app.synth()).not.toThrow();
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const app = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], state: 'XX' } }));
    new sqs.Queue(app.node.findChild('VisionProgress-XX') as Stack, 'PlainQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
