/**
 * `npm run ops -- restore` against a deployed state, with CloudFormation and DynamoDB mocked: point-in-time
 * recovery exists only in AWS. Checks the exact requests `restore start` sends (the stack's table as the source,
 * the restore time, the source's KMS key, on-demand billing, the copy's name) and what `status`, `list` and
 * `delete` make of DynamoDB's answers.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  RestoreTableToPointInTimeCommand,
  TableAlreadyExistsException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { restoredTableName } from '../../infra/ops/restore-tables';
import { recordingAws, runOps } from '../support/ops';

const REGION = 'us-east-2';
const LIVE = 'VisionProgress-OH-DataTable-1A2B3C';
const LIVE_ARN = `arn:aws:dynamodb:${REGION}:123456789012:table/${LIVE}`;
const KEY_ARN = `arn:aws:kms:${REGION}:123456789012:key/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7`;
const COPY = `${LIVE}-restore-20261120T150405Z`;

const cloudFormationClient = new CloudFormationClient({ region: REGION });
const cloudFormation = mockClient(cloudFormationClient);
// the commands send through a document client on the DynamoDB client they are given: mock its class
const dynamoDb = mockClient(DynamoDBDocumentClient);
const kmsClient = new KMSClient({ region: REGION });
const kms = mockClient(kmsClient);

/** KMS says whose the table's key is: a state's own (CUSTOMER) or DynamoDB's AWS managed key (AWS). */
function keyManagedBy(manager: 'CUSTOMER' | 'AWS') {
  kms
    .on(DescribeKeyCommand, { KeyId: KEY_ARN })
    .resolves({ KeyMetadata: { KeyId: KEY_ARN, KeyManager: manager } });
}

const ohStack = ['--state', 'OH', '--region', REGION];

function run(argv: readonly string[], ask?: (question: string) => Promise<string>) {
  const recording = recordingAws({
    cloudFormation: () => cloudFormationClient,
    dynamoDb: () => new DynamoDBClient({ region: REGION }),
    kms: () => kmsClient,
  });
  return { asked: recording.asked, outcome: runOps([...argv, ...ohStack], { aws: recording.aws, ask }) };
}

/** DynamoDB describes `table` as given, merged over an active table. */
function describing(table: TableDescription) {
  dynamoDb
    .on(DescribeTableCommand, { TableName: table.TableName })
    .resolves({ Table: { TableStatus: 'ACTIVE', ...table } });
}

const liveTable: TableDescription = {
  TableName: LIVE,
  TableArn: LIVE_ARN,
  SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: KEY_ARN },
};

const recoveryWindow = {
  ContinuousBackupsDescription: {
    ContinuousBackupsStatus: 'ENABLED' as const,
    PointInTimeRecoveryDescription: {
      PointInTimeRecoveryStatus: 'ENABLED' as const,
      EarliestRestorableDateTime: new Date('2026-10-21T00:00:00Z'),
      LatestRestorableDateTime: new Date('2026-11-20T16:00:00Z'),
    },
  },
};

beforeEach(() => {
  cloudFormation.reset();
  dynamoDb.reset();
  kms.reset();
  keyManagedBy('CUSTOMER');
  cloudFormation.on(DescribeStacksCommand, { StackName: 'VisionProgress-OH' }).resolves({
    Stacks: [
      {
        StackName: 'VisionProgress-OH',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(),
        Outputs: [{ OutputKey: 'TableName', OutputValue: LIVE }],
      },
    ],
  });
  dynamoDb.on(DescribeContinuousBackupsCommand, { TableName: LIVE }).resolves(recoveryWindow);
  describing(liveTable);
});

describe('restore start', () => {
  it("restores the stack's table at the instant into a copy named after it, with the same KMS key, on demand", async () => {
    dynamoDb.on(RestoreTableToPointInTimeCommand).resolves({});

    const { outcome, asked } = run(['restore', 'start', '--at', '2026-11-20T10:04:05-05:00']);
    const { code, stdout } = await outcome;

    expect(code).toBe(0);
    const calls = dynamoDb.commandCalls(RestoreTableToPointInTimeCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      SourceTableName: LIVE,
      TargetTableName: COPY,
      RestoreDateTime: new Date('2026-11-20T15:04:05Z'),
      BillingModeOverride: 'PAY_PER_REQUEST',
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
    });
    expect(asked).toEqual([`cloudformation ${REGION}`, `dynamodb ${REGION}`, `kms ${REGION}`]);
    expect(stdout).toContain(`into ${COPY}, encrypted with KMS key ${KEY_ARN}`);
    expect(stdout).toContain(`npm run ops -- restore status ${COPY} --state OH --region ${REGION}`);
    expect(stdout).toContain(`npm run ops -- restore district <districtId> --from ${COPY} --state OH`);
  });

  it("encrypts the copy with DynamoDB's AWS managed key, the stack's, by asking for it rather than naming it", async () => {
    keyManagedBy('AWS');
    dynamoDb.on(RestoreTableToPointInTimeCommand).resolves({});

    const { code } = await run(['restore', 'start', '--at', '2026-11-20T15:04:05Z']).outcome;

    expect(code).toBe(0);
    expect(dynamoDb.commandCalls(RestoreTableToPointInTimeCommand)[0]?.args[0].input).toMatchObject({
      SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
    });
    expect(
      dynamoDb.commandCalls(RestoreTableToPointInTimeCommand)[0]?.args[0].input.SSESpecificationOverride,
    ).not.toHaveProperty('KMSMasterKeyId');
  });

  it('encrypts the copy with the key DynamoDB owns when the table has no KMS key, without asking KMS', async () => {
    describing({ TableName: LIVE, TableArn: LIVE_ARN });
    dynamoDb.on(RestoreTableToPointInTimeCommand).resolves({});

    const { outcome, asked } = run(['restore', 'start', '--at', '2026-11-20T15:04:05Z']);
    const { code, stdout } = await outcome;

    expect(code).toBe(0);
    expect(dynamoDb.commandCalls(RestoreTableToPointInTimeCommand)[0]?.args[0].input).toMatchObject({
      SSESpecificationOverride: { Enabled: false },
    });
    expect(asked).not.toContain(`kms ${REGION}`);
    expect(stdout).toContain('encrypted with the key DynamoDB owns');
  });

  it('restores nothing when KMS will not say whose the key is, and names the permission', async () => {
    kms.reset();
    kms.on(DescribeKeyCommand).rejects(new NotFoundException({ message: 'denied', $metadata: {} }));

    const { code, stderr } = await run(['restore', 'start', '--at', '2026-11-20T15:04:05Z']).outcome;

    expect(code).toBe(1);
    expect(stderr).toContain(`could not read KMS key ${KEY_ARN} of ${LIVE} (NotFoundException)`);
    expect(stderr).toContain('kms:DescribeKey');
    expect(dynamoDb.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
  });

  it('prints the request it made as JSON with --json', async () => {
    dynamoDb.on(RestoreTableToPointInTimeCommand).resolves({});

    const { code, stdout } = await run(['restore', 'start', '--at', '2026-11-20T15:04:05Z', '--json'])
      .outcome;

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      sourceTable: LIVE,
      table: COPY,
      restoredTo: '2026-11-20T15:04:05.000Z',
      encryption: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
    });
  });

  it('refuses an instant outside the recovery window, naming the window, and restores nothing', async () => {
    const { code, stderr } = await run(['restore', 'start', '--at', '2026-11-20T16:30:00Z']).outcome;

    expect(code).toBe(1);
    expect(stderr).toContain(
      `2026-11-20T16:30:00.000Z is outside the recovery window of ${LIVE}: pass --at from ` +
        '2026-10-21T00:00:00.000Z to 2026-11-20T16:00:00.000Z',
    );
    expect(dynamoDb.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
  });

  it('refuses when point-in-time recovery is off', async () => {
    dynamoDb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
      },
    });

    const { code, stderr } = await run(['restore', 'start', '--at', '2026-11-20T15:04:05Z']).outcome;

    expect(code).toBe(1);
    expect(stderr).toContain(`point-in-time recovery is not enabled on ${LIVE}`);
    expect(dynamoDb.commandCalls(RestoreTableToPointInTimeCommand)).toHaveLength(0);
  });

  it('says what to do when a copy of that instant exists already', async () => {
    dynamoDb
      .on(RestoreTableToPointInTimeCommand)
      .rejects(new TableAlreadyExistsException({ message: 'Table already exists', $metadata: {} }));

    const { code, stderr } = await run(['restore', 'start', '--at', '2026-11-20T15:04:05Z']).outcome;

    expect(code).toBe(1);
    expect(stderr).toContain(`${COPY} exists already`);
    expect(stderr).toContain(`restore delete ${COPY} --state OH`);
  });

  it('takes an instant only with its offset: a local time is a usage error', async () => {
    const { code, stderr } = await run(['restore', 'start', '--at', '2026-11-20T15:04:05']).outcome;

    expect(code).toBe(2);
    expect(stderr).toContain('must be an ISO-8601 timestamp with offset');
  });
});

describe('the copy restore start makes', () => {
  it('is named after the table and the restore time in UTC, to the second', () => {
    expect(restoredTableName('vp-table', new Date('2026-01-02T03:04:05.678Z'))).toBe(
      'vp-table-restore-20260102T030405Z',
    );
  });
});

describe('restore status', () => {
  it('shows a copy being restored, without an item count', async () => {
    describing({
      TableName: COPY,
      TableStatus: 'CREATING',
      RestoreSummary: {
        SourceTableArn: LIVE_ARN,
        RestoreDateTime: new Date('2026-11-20T15:04:05Z'),
        RestoreInProgress: true,
      },
    });

    const { code, stdout } = await run(['restore', 'status', COPY]).outcome;

    expect(code).toBe(0);
    expect(stdout).toMatch(/status\s+CREATING, restoring/);
    expect(stdout).toMatch(/items\s+counted once the table is ACTIVE/);
    expect(stdout).toContain(`Not ready yet: run restore status ${COPY} --state OH`);
  });

  it('shows a restored copy with its item count, ready to be read', async () => {
    describing({
      TableName: COPY,
      ItemCount: 1234,
      RestoreSummary: {
        SourceTableArn: LIVE_ARN,
        RestoreDateTime: new Date('2026-11-20T15:04:05Z'),
        RestoreInProgress: false,
      },
      SSEDescription: liveTable.SSEDescription,
    });

    const { code, stdout } = await run(['restore', 'status', COPY, '--json']).outcome;

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      table: COPY,
      status: 'ACTIVE',
      ready: true,
      itemCount: 1234,
      restoredTo: '2026-11-20T15:04:05.000Z',
      source: LIVE_ARN,
      encryption: `KMS key ${KEY_ARN}`,
    });
  });

  it('names the region when there is no such table', async () => {
    dynamoDb
      .on(DescribeTableCommand, { TableName: 'no-such-table' })
      .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));

    const { code, stderr } = await run(['restore', 'status', 'no-such-table']).outcome;

    expect(code).toBe(1);
    expect(stderr).toContain(`there is no table no-such-table in ${REGION}`);
  });
});

describe('restore list', () => {
  it("lists only the copies of the stack's table", async () => {
    dynamoDb
      .on(ListTablesCommand)
      .resolvesOnce({ TableNames: [LIVE, COPY], LastEvaluatedTableName: COPY })
      .resolvesOnce({
        TableNames: ['VisionProgress-ME-DataTable-9Z8Y7X', `${LIVE}-restore-20261120T120000Z`],
      });
    describing({ TableName: COPY, ItemCount: 10 });
    describing({ TableName: `${LIVE}-restore-20261120T120000Z`, TableStatus: 'CREATING' });

    const { code, stdout } = await run(['restore', 'list']).outcome;

    expect(code).toBe(0);
    const rows = stdout.trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(/\s+/).slice(0, 2))).toEqual([
      [COPY, 'ACTIVE'],
      [`${LIVE}-restore-20261120T120000Z`, 'CREATING'],
    ]);
  });
});

describe('restore delete', () => {
  const copy: TableDescription = {
    TableName: COPY,
    ItemCount: 1234,
    RestoreSummary: { SourceTableArn: LIVE_ARN, RestoreDateTime: new Date(), RestoreInProgress: false },
  };

  it('deletes a restored copy of the stack table once its name is typed back', async () => {
    describing(copy);
    dynamoDb.on(DeleteTableCommand).resolves({});
    const questions: string[] = [];

    const { code, stdout } = await run(['restore', 'delete', COPY], async (question) => {
      questions.push(question);
      return COPY;
    }).outcome;

    expect(code).toBe(0);
    expect(questions[0]).toContain(`This deletes the restored copy ${COPY} (about 1234 items)`);
    expect(dynamoDb.commandCalls(DeleteTableCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: COPY },
    ]);
    expect(stdout).toContain(`Deleting ${COPY}`);
  });

  it("refuses the stack's own table, a table that is no restore of it, and an unconfirmed deletion", async () => {
    const otherCopy = 'VisionProgress-ME-DataTable-9Z8Y7X-restore-20261120T150405Z';
    describing(copy);
    describing({
      TableName: otherCopy,
      RestoreSummary: {
        SourceTableArn: `arn:aws:dynamodb:${REGION}:123456789012:table/VisionProgress-ME-DataTable-9Z8Y7X`,
        RestoreDateTime: new Date(),
        RestoreInProgress: false,
      },
    });

    const own = await run(['restore', 'delete', LIVE, '--yes']).outcome;
    const foreign = await run(['restore', 'delete', otherCopy, '--yes']).outcome;
    const unattended = await run(['restore', 'delete', COPY]).outcome;
    const mistyped = await run(['restore', 'delete', COPY], async () => LIVE).outcome;

    expect(own).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${LIVE} is the table the platform runs on`),
    });
    expect(foreign).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${otherCopy} is not a restored copy of ${LIVE}`),
    });
    expect(unattended).toMatchObject({ code: 1, stderr: expect.stringContaining('or pass --yes') });
    expect(mistyped).toMatchObject({ code: 1, stderr: expect.stringContaining('not confirmed') });
    expect(dynamoDb.commandCalls(DeleteTableCommand)).toHaveLength(0);
  });
});

describe('restore district on a deployed state', () => {
  it('reads nothing from a table that is not a restore of the stack table', async () => {
    describing({ TableName: 'scratch-table' });

    const { code, stderr } = await run([
      'restore',
      'district',
      'lincoln-usd',
      '--from',
      'scratch-table',
      '--yes',
    ]).outcome;

    expect(code).toBe(1);
    expect(stderr).toContain(
      `scratch-table is not a restored copy of ${LIVE}, the table of VisionProgress-OH`,
    );
    expect(dynamoDb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('waits for a copy still being restored', async () => {
    describing({
      TableName: COPY,
      TableStatus: 'CREATING',
      RestoreSummary: { SourceTableArn: LIVE_ARN, RestoreDateTime: new Date(), RestoreInProgress: true },
    });

    const { code, stderr } = await run(['restore', 'district', 'lincoln-usd', '--from', COPY, '--yes'])
      .outcome;

    expect(code).toBe(1);
    expect(stderr).toContain(`${COPY} is CREATING, still restoring: wait until restore status ${COPY}`);
  });
});
