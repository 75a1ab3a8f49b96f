import { Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { Api } from './api';
import { nagArnOf, nagArnParts } from './nag';
import type { UnsubscribeSecret } from './unsubscribe-secret';
import type { WorkQueue } from './work-queue';

/** What a restore writes into its copy, and what the CLI reads and writes of a district's items. */
const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

export interface OperatorRoleProps {
  readonly table: ITableV2;
  readonly globalSecondaryIndexes: readonly string[];
  readonly queues: readonly WorkQueue[];
  readonly api: Api;
  readonly unsubscribeSecret: UnsubscribeSecret;
  /** The domain of the state's sender address: the SES identity `ops ses setup` makes. */
  readonly senderDomain: string;
  readonly configurationSetName: string;
}

/**
 * The role an ops team runs `npm run ops -- … --state XX` with: what the ops CLI calls on this stack's resources
 * and nothing else (no deploy, no function code, no other state's data). Any principal of the account that may
 * assume it can use it, through a profile with its ARN (the stack's OperatorRoleArn output).
 *
 * test/infra/operator-role.test.ts reads the AWS calls of every module the CLI is built from and holds this role
 * to each of them, so a command that starts calling something new fails there until it is granted here.
 */
export class OperatorRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: OperatorRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Runs the Vision Progress ops CLI against ${stack.stackName}`,
    });
    const role = this.role;

    // finding the stack's outputs and its secret (DescribeStacks, ListStackResources)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
        resources: [stack.stackId],
      }),
    );

    // keys, district removal (which also scans for what is left), metrics rebuild, restore district: the items of
    // the live table; restore start and status: its recovery window, and a restore of it into a copy
    const { tableArn } = props.table;
    const indexes = (arn: string) => props.globalSecondaryIndexes.map((index) => `${arn}/index/${index}`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          ...ITEM_ACTIONS,
          'dynamodb:ConditionCheckItem',
          'dynamodb:DescribeTable',
          'dynamodb:DescribeContinuousBackups',
          'dynamodb:RestoreTableToPointInTime',
        ],
        resources: [tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: indexes(tableArn) }),
    );
    // the copies a restore makes, `<table>-restore-<time>`: DynamoDB writes their items on the operator's behalf
    // during the restore, the CLI reads them, and deletes them when done
    const copies = `${tableArn}-restore-*`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...ITEM_ACTIONS, 'dynamodb:DescribeTable', 'dynamodb:DeleteTable'],
        resources: [copies, ...indexes(copies)],
      }),
    );
    // restore list: the copies are found by name among the account's tables
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:ListTables'], resources: ['*'] }),
    );
    // restore start: whether the table's key is DynamoDB's AWS managed key (restore-tables.ts, copyEncryption)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:DescribeKey'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/aws/dynamodb' } },
      }),
    );

    // dlq show and redrive: read the dead letters, send them back to their queue, delete them
    for (const { queue, deadLetterQueue } of props.queues) {
      for (const each of [queue, deadLetterQueue]) {
        each.grantConsumeMessages(role);
        each.grantSendMessages(role);
      }
    }

    // state-key create and revoke: the usage key of each key, on the stage's usage plan
    props.api.grantKeyRegistration(role);
    // unsubscribe-secret rotate
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:PutSecretValue'],
        resources: [props.unsubscribeSecret.secret.secretArn],
      }),
    );

    // ses setup and status: the sender domain's identity and the digests' configuration set
    const ses = (resource: string, resourceName: string) =>
      stack.formatArn({ service: 'ses', resource, resourceName });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'ses:CreateEmailIdentity',
          'ses:GetEmailIdentity',
          'ses:PutEmailIdentityMailFromAttributes',
        ],
        resources: [ses('identity', props.senderDomain)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:GetConfigurationSet'],
        resources: [ses('configuration-set', props.configurationSetName)],
      }),
    );
    // ses status and request-production-access: the account's sending status, and the request to leave the sandbox
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ses:GetAccount', 'ses:PutAccountDetails'], resources: ['*'] }),
    );

    const { partition, region, account } = nagArnParts(this);
    const nagCopies = `${nagArnOf(props.table)}-restore-*`;
    const copyResources = [nagCopies, ...indexes(nagCopies)];
    Validations.of(role).acknowledge(
      ...copyResources.map((resource) => ({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          'A restore copy is named after the live table and the restore time, which the operator picks when ' +
          "the damage is known: only the table's own <table>-restore-* copies (and their indexes) match.",
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          "dynamodb:ListTables (restore list), ses:GetAccount and ses:PutAccountDetails (the account's SES " +
          'status and production access request) act on no resource and accept only "*".',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:kms:${region}:${account}:key/*]`,
        reason:
          "The AWS managed key of DynamoDB has an id of AWS's choosing; the condition on its alias " +
          'aws/dynamodb limits kms:DescribeKey to that one key.',
      },
    );
  }
}
