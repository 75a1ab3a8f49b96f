/**
 * The role the ops CLI runs with against a deployed state (infra/constructs/operator-role.ts), held to what the
 * CLI calls: every AWS SDK command in a module the CLI is built from (esbuild's own list of the modules it bundles
 * for infra/ops/cli.ts) must be one the role may make, on the resource it acts on, or be named below as one that
 * only reaches the local emulators. A command that starts calling something new fails here until it is granted.
 */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStateConfig } from '../../infra/config/index';
import { STACK_OUTPUTS } from '../../infra/stack-contract';
import { operatorRoleId, resourcesOf, synthState } from './synth';

/** The IAM actions of each SDK command the CLI's modules send (`paginateX` sends X). */
const ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // CloudFormation: the stack's outputs, and its secret among its resources
  DescribeStacks: ['cloudformation:DescribeStacks'],
  ListStackResources: ['cloudformation:ListStackResources'],
  // DynamoDB items (the document client's commands) and tables
  Get: ['dynamodb:GetItem'],
  Put: ['dynamodb:PutItem'],
  Update: ['dynamodb:UpdateItem'],
  Delete: ['dynamodb:DeleteItem'],
  Query: ['dynamodb:Query'],
  Scan: ['dynamodb:Scan'],
  BatchGet: ['dynamodb:BatchGetItem'],
  BatchWrite: ['dynamodb:BatchWriteItem'],
  // a transaction is authorized per item operation
  TransactWrite: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
  DescribeTable: ['dynamodb:DescribeTable'],
  ListTables: ['dynamodb:ListTables'],
  DeleteTable: ['dynamodb:DeleteTable'],
  DescribeContinuousBackups: ['dynamodb:DescribeContinuousBackups'],
  RestoreTableToPointInTime: ['dynamodb:RestoreTableToPointInTime'],
  // SQS: dead letters read, sent back, deleted
  ReceiveMessage: ['sqs:ReceiveMessage'],
  DeleteMessage: ['sqs:DeleteMessage'],
  SendMessage: ['sqs:SendMessage'],
  SendMessageBatch: ['sqs:SendMessage'],
  GetQueueUrl: ['sqs:GetQueueUrl'],
  GetQueueAttributes: ['sqs:GetQueueAttributes'],
  // API Gateway's management API is authorized by HTTP method on the resource path
  CreateApiKey: ['apigateway:POST'],
  GetApiKeys: ['apigateway:GET'],
  DeleteApiKey: ['apigateway:DELETE'],
  CreateUsagePlanKey: ['apigateway:POST'],
  PutSecretValue: ['secretsmanager:PutSecretValue'],
  // SES v2 actions carry the ses: prefix
  CreateEmailIdentity: ['ses:CreateEmailIdentity'],
  GetEmailIdentity: ['ses:GetEmailIdentity'],
  PutEmailIdentityMailFromAttributes: ['ses:PutEmailIdentityMailFromAttributes'],
  GetConfigurationSet: ['ses:GetConfigurationSet'],
  GetAccount: ['ses:GetAccount'],
  PutAccountDetails: ['ses:PutAccountDetails'],
  DescribeKey: ['kms:DescribeKey'],
};

/** Commands in the CLI's modules that are never sent to AWS with the operator's credentials, and why. */
const NOT_ON_AWS: Readonly<Record<string, string>> = {};

/** Modules of the CLI that only ever talk to the local emulators. */
const LOCAL_ONLY = /^infra\/local\//;

/** The SDK commands each project module of the CLI's bundle sends: `new XCommand(` and `paginateX(`. */
async function commandsOfTheCli(): Promise<Map<string, string[]>> {
  const { metafile } = await build({
    entryPoints: ['infra/ops/cli.ts'],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const found = new Map<string, string[]>();
  for (const file of Object.keys(metafile.inputs)) {
    if (file.startsWith('node_modules/') || LOCAL_ONLY.test(file)) continue;
    const source = readFileSync(file, 'utf8');
    for (const [, sent, paginated] of source.matchAll(
      /\bnew ([A-Z][A-Za-z]*)Command\(|\bpaginate([A-Z][A-Za-z]*)\(/g,
    )) {
      const command = sent ?? paginated ?? '';
      found.set(command, [...new Set([...(found.get(command) ?? []), file])]);
    }
  }
  return found;
}

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

describe('the operator role', () => {
  const template = synthState('OH');
  const roles = resourcesOf(template, 'AWS::IAM::Role');
  const roleId = operatorRoleId(template);
  const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
  const allowed = new Set(statements.flatMap((statement) => [statement.Action].flat()));
  let commands: Map<string, string[]>;

  beforeAll(async () => {
    commands = await commandsOfTheCli();
  });

  it('is one role of the stack, which principals of the account may assume, named in the outputs', () => {
    expect(roles[roleId]?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: {
          AWS: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, `:iam::${loadStateConfig('OH').aws.account}:root`],
            ],
          },
        },
      },
    ]);
    expect(template.toJSON().Outputs[STACK_OUTPUTS.operatorRoleArn].Value).toEqual({
      'Fn::GetAtt': [roleId, 'Arn'],
    });
  });

  it("finds the CLI's AWS calls in its modules", () => {
    // a scan that finds nothing would hold the role to nothing
    expect(commands.size).toBeGreaterThan(30);
    expect(commands.get('RestoreTableToPointInTime')).toEqual(['infra/ops/restore.ts']);
    expect(commands.get('ListStackResources')).toEqual(['infra/ops/unsubscribe-secret.ts']);
  });

  it('may make every AWS call of the CLI', () => {
    const missing = [...commands].flatMap(([command, files]) => {
      if (command in NOT_ON_AWS) return [];
      const actions = ACTIONS[command];
      if (!actions)
        return [`${command} (${files.join(', ')}): add its IAM action to ACTIONS, or to NOT_ON_AWS`];
      return actions.filter((action) => !allowed.has(action)).map((action) => `${action} for ${command}`);
    });
    expect(missing).toEqual([]);
  });

  it('grants nothing the CLI does not call', () => {
    const called = new Set([...commands.keys()].flatMap((command) => ACTIONS[command] ?? []));
    // the CDK's queue grants add what SQS documents for a consumer
    const granted = new Set(['sqs:ChangeMessageVisibility']);
    expect([...allowed].filter((action) => !called.has(action) && !granted.has(action)).sort()).toEqual([]);
  });
});
